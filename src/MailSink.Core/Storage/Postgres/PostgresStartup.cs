using MailSink.Domain;
using MailSink.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MailSink.Storage.Postgres;

/// <summary>
/// Makes start-up wait for the database (reachable, migrated), so a bad server ends the start in one line naming
/// Storage:Path, then gives this node's message IDs a slot no other live node has (registered before the SMTP
/// listeners, so it runs before the first ID is made). Does nothing unless Storage:Path is a PostgreSQL URI.
/// </summary>
internal sealed class PostgresStartup(IOptions<StorageOptions> storage, IServiceProvider services) : IHostedService
{
    // Two methods so that a server on LiteDB never compiles the second (whose state machine loads Npgsql and
    // System.Data.Common: ~2 MB of idle RSS, issue 12).
    public Task StartAsync(CancellationToken cancellationToken) =>
        PostgresUri.IsPostgres(storage.Value.Path) ? StartOnPostgresAsync(cancellationToken) : Task.CompletedTask;

    private async Task StartOnPostgresAsync(CancellationToken cancellationToken)
    {
        var database = services.GetRequiredService<PostgresDatabase>();
        await database.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        if (services.GetService<MessageIdGenerator>() is { } ids)
        {
            ids.UseNodeSlot(await database.TakeNodeSlotAsync(cancellationToken).ConfigureAwait(false));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
