using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Aspire.Hosting.MailSink.Tests;

/// <summary>
/// The model AddMailSink builds, read back from a built DistributedApplication (not started: see the README's
/// Aspire section for why the orchestrator does not run on these machines).
/// </summary>
public sealed class AddMailSinkTests
{
    private static readonly string SignupProject = typeof(AddMailSinkTests).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .Cast<System.Reflection.AssemblyMetadataAttribute>()
        .Single(a => a.Key == "SignupProject").Value!;

    [Fact]
    public async Task AddMailSink_declares_an_smtp_and_an_http_endpoint_on_the_image_ports_and_a_readyz_health_check()
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.AddMailSink("mail");
        await using var app = builder.Build();

        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var mail = Assert.Single(model.Resources.OfType<MailSinkResource>());
        Assert.Equal("mail", mail.Name);

        var endpoints = mail.Annotations.OfType<EndpointAnnotation>().ToDictionary(e => e.Name);
        Assert.Equal(["http", "smtp"], endpoints.Keys.Order());
        Assert.Equal((1025, "tcp", "smtp"), (endpoints["smtp"].TargetPort!.Value, endpoints["smtp"].Transport, endpoints["smtp"].UriScheme));
        Assert.Equal((8025, "http"), (endpoints["http"].TargetPort!.Value, endpoints["http"].UriScheme));
        Assert.Null(endpoints["smtp"].Port);

        var image = Assert.Single(mail.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal(("docker.io", "mailsink/mailsink", "latest"), (image.Registry, image.Image, image.Tag));

        // The health check is registered under the annotation's key: that is what WaitFor(mail) waits on.
        var healthCheck = Assert.Single(mail.Annotations.OfType<HealthCheckAnnotation>());
        var registrations = app.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        Assert.Contains(registrations, r => r.Name == healthCheck.Key);
    }

    [Fact]
    public async Task Host_ports_and_the_image_are_the_callers_to_choose()
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.AddMailSink("mail", httpPort: 18025, smtpPort: 12525)
            .WithImageRegistry("registry.example.test")
            .WithImage("team/mailsink", "0.1.0");
        await using var app = builder.Build();

        var mail = Assert.Single(app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<MailSinkResource>());
        var endpoints = mail.Annotations.OfType<EndpointAnnotation>().ToDictionary(e => e.Name);
        Assert.Equal(12525, endpoints["smtp"].Port);
        Assert.Equal(18025, endpoints["http"].Port);
        var image = Assert.Single(mail.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal(("registry.example.test", "team/mailsink", "0.1.0"), (image.Registry, image.Image, image.Tag));
    }

    [Fact]
    public async Task WithReference_hands_a_project_the_smtp_host_and_port_as_its_connection_string()
    {
        var builder = DistributedApplication.CreateBuilder();
        var mail = builder.AddMailSink("mail");
        var project = builder.AddProject("signup", SignupProject).WithReference(mail);
        await using var app = builder.Build();

        // What the orchestrator does when the container starts: give the endpoint its host address.
        var smtp = mail.Resource.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "smtp");
        smtp.AllocatedEndpoint = new AllocatedEndpoint(smtp, "localhost", 32525);

        Assert.Equal("smtp://localhost:32525", await mail.Resource.ConnectionStringExpression.GetValueAsync(CancellationToken.None));
        var environment = await EnvironmentOfAsync(project.Resource, app.Services.GetRequiredService<DistributedApplicationExecutionContext>());
        Assert.Equal("smtp://localhost:32525", environment["ConnectionStrings__mail"]);
    }

    [Fact]
    public async Task A_published_manifest_refers_to_the_smtp_bindings_host_and_port()
    {
        var builder = DistributedApplication.CreateBuilder();
        var mail = builder.AddMailSink("mail");
        var project = builder.AddProject("signup", SignupProject).WithReference(mail);

        Assert.Equal("smtp://{mail.bindings.smtp.host}:{mail.bindings.smtp.port}", mail.Resource.ConnectionStringExpression.ValueExpression);
        var environment = await EnvironmentOfAsync(project.Resource, new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish));
        Assert.Equal("{mail.connectionString}", environment["ConnectionStrings__mail"]);
    }

    /// <summary>The environment the orchestrator would give <paramref name="resource"/>, gathered as it does.</summary>
    private static async Task<Dictionary<string, string>> EnvironmentOfAsync(IResource resource, DistributedApplicationExecutionContext context)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(context, NullLogger.Instance, CancellationToken.None);
        Assert.Null(configuration.Exception);
        return configuration.EnvironmentVariables.ToDictionary(v => v.Key, v => v.Value);
    }
}
