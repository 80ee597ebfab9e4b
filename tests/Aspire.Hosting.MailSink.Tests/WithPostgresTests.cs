using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aspire.Hosting.MailSink.Tests;

/// <summary>WithPostgres: the storage setting MailSink gets from a PostgreSQL resource or URI, read back from the built model.</summary>
public sealed class WithPostgresTests
{
    [Fact]
    public async Task A_postgres_database_resource_becomes_MailSinks_storage_uri_and_MailSink_waits_for_it()
    {
        var builder = DistributedApplication.CreateBuilder();
        var password = builder.AddParameter("pg-password", "s3cret");
        var database = builder.AddPostgres("pg", password: password).AddDatabase("maildb");
        var mail = builder.AddMailSink("mail").WithPostgres(database);
        await using var app = builder.Build();

        // What the orchestrator does when PostgreSQL starts: give its endpoint an address on the host and one on the
        // containers' network. MailSink runs in a container, so it must get the latter (localhost would be itself).
        var pg = database.Resource.Parent.Annotations.OfType<EndpointAnnotation>().Single();
        pg.AllocatedEndpoint = new AllocatedEndpoint(pg, "localhost", 35432);
        var network = KnownNetworkIdentifiers.DefaultAspireContainerNetwork;
        pg.AllAllocatedEndpoints.AddOrUpdateAllocatedEndpoint(network, new AllocatedEndpoint(pg, "pg.dev.internal", 5432, EndpointBindingMode.SingleAddress, null, network));

        var environment = await EnvironmentOfAsync(mail.Resource, app.Services.GetRequiredService<DistributedApplicationExecutionContext>());
        Assert.Equal("postgresql://postgres:s3cret@pg.dev.internal:5432/maildb", environment[MailSinkPostgresExtensions.StoragePathVariable]);

        // WaitFor(database) waits for the server too: MailSink starts when both are healthy.
        var waits = mail.Resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource).ToList();
        Assert.Contains(database.Resource, waits);
        Assert.Contains(database.Resource.Parent, waits);
    }

    [Fact]
    public async Task A_published_manifest_refers_to_the_servers_bindings_and_password_parameter_not_values()
    {
        var builder = DistributedApplication.CreateBuilder();
        var database = builder.AddPostgres("pg").AddDatabase("maildb");
        var mail = builder.AddMailSink("mail").WithPostgres(database);

        var environment = await EnvironmentOfAsync(mail.Resource, new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish));
        Assert.Equal("postgresql://postgres:{pg-password.value}@{pg.bindings.tcp.host}:{pg.bindings.tcp.port}/maildb", environment[MailSinkPostgresExtensions.StoragePathVariable]);
    }

    [Fact]
    public async Task An_existing_server_is_given_as_a_uri_and_anything_else_is_refused_without_echoing_it()
    {
        var builder = DistributedApplication.CreateBuilder();
        var mail = builder.AddMailSink("mail").WithPostgres("postgresql://mail:pw@db.staging.test:5432/mailsink");

        var environment = await EnvironmentOfAsync(mail.Resource, new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run));
        Assert.Equal("postgresql://mail:pw@db.staging.test:5432/mailsink", environment[MailSinkPostgresExtensions.StoragePathVariable]);

        var refused = Assert.Throws<ArgumentException>(() => builder.AddMailSink("other").WithPostgres("Host=db;Password=hunter2"));
        Assert.Equal("connectionUri", refused.ParamName);
        Assert.DoesNotContain("hunter2", refused.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => builder.AddMailSink("third").WithPostgres("/var/lib/mailsink.db"));
    }

    [Fact]
    public async Task A_secret_parameter_can_hold_the_uri()
    {
        var builder = DistributedApplication.CreateBuilder();
        var uri = builder.AddParameter("mail-db-uri", "postgresql://mail:pw@db.staging.test/mailsink", secret: true);
        var mail = builder.AddMailSink("mail").WithPostgres(uri);

        var environment = await EnvironmentOfAsync(mail.Resource, new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run));
        Assert.Equal("postgresql://mail:pw@db.staging.test/mailsink", environment[MailSinkPostgresExtensions.StoragePathVariable]);
    }

    private static async Task<Dictionary<string, string>> EnvironmentOfAsync(IResource resource, DistributedApplicationExecutionContext context)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(context, NullLogger.Instance, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(20)); // an unresolvable endpoint waits forever: fail instead
        Assert.Null(configuration.Exception);
        return configuration.EnvironmentVariables.ToDictionary(v => v.Key, v => v.Value);
    }
}
