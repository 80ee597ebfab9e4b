using System.Threading.Channels;
using MailSink.Domain;
using MailSink.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MailSink.Storage.Postgres;

/// <summary>
/// Live across nodes: one dedicated connection LISTENs on <see cref="ClusterNotifications.Channel"/>; for each
/// notification another node sent, the rows are read and the same <see cref="MailboxEvent"/> this node would have
/// published is published on its <see cref="MailboxEvents"/>, so the hub, /api/v1/wait and the MailHog/Mailpit
/// live feeds work whichever node stored the mail. A lost connection is reopened with backoff (0.25 s doubling to
/// 30 s); what was notified while it was down is not replayed (the lists read the database and are current).
/// Does nothing unless Storage:Path is a PostgreSQL URI.
/// </summary>
internal sealed partial class PostgresEventListener(
    IOptions<StorageOptions> storage, IServiceProvider services, ClusterNode node, MailboxEvents events, ILogger<PostgresEventListener> logger)
    : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// A notification of a kind this listener does not handle itself (fault rules, settings: Faults/ and the like),
    /// from another node, with its raw JSON payload. Raised on the listener's loop: hand it off, do not block.
    /// </summary>
    public event Action<ClusterNotification, string>? OtherKind;

    /// <summary>Completes once LISTEN is in place (tests wait for it before sending to another node).</summary>
    public Task WhenListeningAsync(CancellationToken cancellationToken) => Volatile.Read(ref _listening).Task.WaitAsync(cancellationToken);

    // Two methods so that a server on LiteDB never compiles the second (see PostgresStartup).
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PostgresUri.IsPostgres(storage.Value.Path) ? ListenForeverAsync(stoppingToken) : Task.CompletedTask;

    private async Task ListenForeverAsync(CancellationToken stoppingToken)
    {
        var database = services.GetRequiredService<PostgresDatabase>();
        try
        {
            await database.EnsureReadyAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (StorageConnectionException)
        {
            // Start-up reports it (PostgresStartup) and stops the host.
            return;
        }

        var received = Channel.CreateUnbounded<(ClusterNotification, string)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var publishing = PublishAsync(database, received.Reader, stoppingToken);
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(database, received.Writer, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (PostgresDatabase.IsDatabaseFault(ex))
            {
                Log.ListenLost(logger, backoff.TotalSeconds, ex);
                Interlocked.Exchange(ref _listening, new(TaskCreationOptions.RunContinuationsAsynchronously));
                try
                {
                    await Task.Delay(backoff, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                continue;
            }
        }

        received.Writer.TryComplete();
        await publishing.ConfigureAwait(false);
    }

    private async Task ListenAsync(PostgresDatabase database, ChannelWriter<(ClusterNotification, string)> received, CancellationToken stoppingToken)
    {
        // Its own connection, outside the pool: it sits in WaitAsync for as long as the node runs. Keepalive makes a
        // dead server or a dropped link an error here instead of a silent wait.
        var settings = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false, KeepAlive = 15, ApplicationName = $"mailsink-listen-{node.Id}" };
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        connection.Notification += (_, e) =>
        {
            if (ClusterNotifications.Parse(e.Payload) is { } notification && notification.Node != node.Id)
            {
                received.TryWrite((notification, e.Payload));
            }
        };
        await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
        await using (var listen = new NpgsqlCommand($"LISTEN {ClusterNotifications.Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
        }

        Log.Listening(logger, database.Where, node.Id);
        Volatile.Read(ref _listening).TrySetResult();
        while (true)
        {
            await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>In arrival order, one at a time: a deletion is never published before the store it follows.</summary>
    private async Task PublishAsync(PostgresDatabase database, ChannelReader<(ClusterNotification, string)> received, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (notification, payload) in received.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await PublishOneAsync(database, notification, payload, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception first) when (PostgresDatabase.IsDatabaseFault(first) || first is StoreUnavailableException)
                {
                    // After an outage the pool still hands out connections the server closed: the first use fails and
                    // discards it. Once more on a fresh one, or the change would never be pushed on this node
                    // (PostgresOutageTests missed the first message after the database came back). The idle
                    // connections are dropped first, as several may be dead.
                    database.DataSource.Clear();
                    try
                    {
                        await PublishOneAsync(database, notification, payload, stoppingToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (PostgresDatabase.IsDatabaseFault(ex) || ex is StoreUnavailableException)
                    {
                        Log.ReadFailed(logger, notification.Kind, ex);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task PublishOneAsync(PostgresDatabase database, ClusterNotification notification, string payload, CancellationToken cancellationToken)
    {
        switch (notification.Kind)
        {
            case ClusterNotifications.Stored:
                await ReadAsync(
                    database,
                    $"SELECT {PostgresRows.SummaryColumns} FROM messages WHERE id = ANY($1) ORDER BY received_at, id",
                    notification.Ids,
                    r => events.Publish(new MessageStored(PostgresRows.ReadSummary(r))),
                    cancellationToken).ConfigureAwait(false);
                break;
            case ClusterNotifications.Updated:
                await ReadAsync(
                    database,
                    "SELECT id, read, tags FROM messages WHERE id = ANY($1)",
                    notification.Ids,
                    r => events.Publish(new MessageUpdated(r.GetString(0), r.GetBoolean(1), r.GetFieldValue<string[]>(2))),
                    cancellationToken).ConfigureAwait(false);
                break;
            case ClusterNotifications.Deleted:
                events.Publish(notification.All
                    ? new MessagesDeleted(null) { Count = notification.Count }
                    : new MessagesDeleted(notification.Ids));
                break;
            case ClusterNotifications.Session:
                await ReadAsync(
                    database,
                    $"SELECT {PostgresRows.SessionSummaryColumns} FROM sessions WHERE id = ANY($1)",
                    notification.Ids,
                    r => events.Publish(new SessionClosed(PostgresRows.ReadSessionSummary(r))),
                    cancellationToken).ConfigureAwait(false);
                break;
            default:
                OtherKind?.Invoke(notification, payload);
                break;
        }
    }

    private static async Task ReadAsync(
        PostgresDatabase database, string sql, IReadOnlyList<string> ids, Action<NpgsqlDataReader> each, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync("read what another node changed", cancellationToken).ConfigureAwait(false);
        await using var command = PostgresRows.Command(connection, sql, (object)ids.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            each(reader);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(3043, LogLevel.Information, "Listening for other nodes' changes on PostgreSQL at {Where} (this node is {Node})")]
        public static partial void Listening(ILogger logger, string where, string node);

        [LoggerMessage(3044, LogLevel.Warning, "Lost the PostgreSQL notification connection; reconnecting in {Seconds} s")]
        public static partial void ListenLost(ILogger logger, double seconds, Exception exception);

        [LoggerMessage(3045, LogLevel.Warning, "Could not read the rows of another node's '{Kind}' notification")]
        public static partial void ReadFailed(ILogger logger, string kind, Exception exception);
    }
}
