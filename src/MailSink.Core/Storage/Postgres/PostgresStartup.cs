using MailSink.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MailSink.Storage.Postgres;

/// <summary>
/// Makes start-up wait for the database (reachable, migrated), so a bad server ends the start in one line naming
/// Storage:Path. Does nothing unless Storage:Path is a PostgreSQL URI.
/// </summary>
internal sealed class PostgresStartup(IOptions<StorageOptions> storage, IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        PostgresUri.IsPostgres(storage.Value.Path)
            ? services.GetRequiredService<PostgresDatabase>().EnsureReadyAsync(cancellationToken)
            : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
