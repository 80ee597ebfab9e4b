using System.Threading.Channels;
using MailSink.Domain;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MailSink.Storage.Postgres;

/// <summary>
/// The ingest path: messages and session saves wait in a bounded channel and one loop commits up to a batch of them
/// per transaction (one round trip per batch, not per message), then publishes their events and completes each
/// caller, only after the commit. A failed batch is retried write by write so one bad write does not fail its
/// neighbours (as <see cref="MessageWriteQueue"/> does for LiteDB); a write that still fails answers
/// <see cref="StoreUnavailableException"/>, which SMTP turns into 451 4.3.0.
/// </summary>
internal sealed partial class PostgresWriteQueue : IAsyncDisposable
{
    private readonly Channel<Write> _channel;
    private readonly PostgresDatabase _database;
    private readonly ClusterNode _node;
    private readonly MailboxEvents _events;
    private readonly ILogger _logger;
    private readonly int _batchSize;
    private readonly Task _writer;

    public PostgresWriteQueue(PostgresDatabase database, ClusterNode node, MailboxEvents events, int batchSize, ILogger logger)
    {
        _database = database;
        _node = node;
        _events = events;
        _logger = logger;
        _batchSize = Math.Max(1, batchSize);
        _channel = Channel.CreateBounded<Write>(new BoundedChannelOptions(Math.Max(64, _batchSize * 2))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _writer = Task.Run(RunAsync);
    }

    /// <summary>A message (and its session so far, if given), or a session alone.</summary>
    public async Task EnqueueAsync(MessageSummary? summary, byte[]? raw, SessionRecord? session, CancellationToken cancellationToken)
    {
        var write = new Write(summary, raw, session, cancellationToken);
        try
        {
            await _channel.Writer.WriteAsync(write, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            throw new StoreUnavailableException("The message store is shutting down.", ex);
        }

        await write.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<Write>(_batchSize);
        while (await _channel.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _batchSize && _channel.Reader.TryRead(out var write))
            {
                if (write.CancellationToken.IsCancellationRequested)
                {
                    // Nobody waits for it: a message whose client gave up is not stored (it got no 250).
                    write.Completion.TrySetCanceled(write.CancellationToken);
                }
                else
                {
                    batch.Add(write);
                }
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch).ConfigureAwait(false);
                batch.Clear();
            }
        }
    }

    private async Task CommitAsync(List<Write> batch, bool reconnected = false)
    {
        try
        {
            await CommitOnceAsync(batch).ConfigureAwait(false);
        }
        catch (Exception ex) when (!reconnected && IsConnectionLost(ex))
        {
            // A pooled connection the server closed (restart, failover, terminated backend) fails its first command:
            // drop the pool's idle connections and try once more. Safe to repeat: rows are upserted and the counts
            // come from what the retry finds stored, so a commit whose answer was lost is not counted twice.
            Log.Reconnecting(_logger, ex);
            _database.DataSource.Clear();
            await CommitAsync(batch, reconnected: true).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (batch.Count > 1 && (PostgresDatabase.IsDatabaseFault(ex) || ex is StoreUnavailableException))
        {
            Log.BatchRetried(_logger, batch.Count, ex);
            foreach (var write in batch)
            {
                await CommitAsync([write]).ConfigureAwait(false);
            }

            return;
        }
        catch (Exception ex) when (PostgresDatabase.IsDatabaseFault(ex) || ex is StoreUnavailableException)
        {
            Log.WriteFailed(_logger, ex);
            var error = ex as StoreUnavailableException
                ?? new StoreUnavailableException($"The message store (PostgreSQL at {_database.Where}) could not commit: {ex.Message}", ex);
            batch[0].Completion.TrySetException(error);
            return;
        }

        // After the commit, outside the transaction: handlers hand events to their own queues.
        foreach (var write in batch)
        {
            if (write.Summary is not null)
            {
                _events.Publish(new MessageStored(write.Summary));
            }
            else if (write.Session is { Outcome: not SessionOutcome.Open } closed)
            {
                _events.Publish(new SessionClosed(SessionSummary.From(closed)));
            }

            write.Completion.TrySetResult();
        }
    }

    private static bool IsConnectionLost(Exception ex) =>
        ex is NpgsqlException { IsTransient: true } or PostgresException { SqlState: "57P01" or "57P02" or "57P03" }
        || ex.InnerException is NpgsqlException { IsTransient: true };

    private async Task CommitOnceAsync(List<Write> batch)
    {
        await using var connection = await _database.OpenAsync("store messages", CancellationToken.None).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);

        // Replacing a stored id (rare: the same message stored twice) must not count it twice; lock what exists.
        var messageIds = batch.Where(w => w.Summary is not null).Select(w => w.Summary!.Id).Distinct(StringComparer.Ordinal).ToArray();
        var sessionIds = batch.Where(w => w.Session is not null).Select(w => w.Session!.Id).Distinct(StringComparer.Ordinal).ToArray();
        var previousRead = new Dictionary<string, bool>(StringComparer.Ordinal);
        var previousSessions = new HashSet<string>(StringComparer.Ordinal);
        await using (var existing = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                PostgresRows.BatchCommand("SELECT id, read, true FROM messages WHERE id = ANY($1) FOR UPDATE", [messageIds]),
                PostgresRows.BatchCommand("SELECT id, false, false FROM sessions WHERE id = ANY($1) FOR UPDATE", [sessionIds]),
            },
        })
        await using (var reader = await existing.ExecuteReaderAsync().ConfigureAwait(false))
        {
            do
            {
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    if (reader.GetBoolean(2))
                    {
                        previousRead[reader.GetString(0)] = reader.GetBoolean(1);
                    }
                    else
                    {
                        previousSessions.Add(reader.GetString(0));
                    }
                }
            }
            while (await reader.NextResultAsync().ConfigureAwait(false));
        }

        long messages = 0, unread = 0, sessions = 0;
        await using var writes = new NpgsqlBatch(connection, transaction);
        foreach (var write in batch)
        {
            if (write.Summary is { } summary)
            {
                if (previousRead.Remove(summary.Id, out var wasRead))
                {
                    unread -= wasRead ? 0 : 1;
                }
                else
                {
                    messages++;
                }

                unread += summary.Read ? 0 : 1;
                previousRead.TryAdd(summary.Id, summary.Read);
                PostgresRows.AddMessage(writes, summary, write.Raw!);
            }

            if (write.Session is { } session)
            {
                sessions += previousSessions.Add(session.Id) ? 1 : 0;
                PostgresRows.AddSession(writes, session);
            }
        }

        // previousRead now also holds this batch's own ids: a second write of one id in the batch is a replace.
        PostgresRows.AddCounts(writes, messages, unread, sessions);
        ClusterNotifications.Add(writes, _node.Id, ClusterNotifications.Stored, batch.Where(w => w.Summary is not null).Select(w => w.Summary!.Id));
        ClusterNotifications.Add(
            writes, _node.Id, ClusterNotifications.Session,
            batch.Where(w => w.Summary is null && w.Session is { Outcome: not SessionOutcome.Open }).Select(w => w.Session!.Id));
        await writes.ExecuteNonQueryAsync().ConfigureAwait(false);
        await transaction.CommitAsync().ConfigureAwait(false);
    }

    private sealed record Write(MessageSummary? Summary, byte[]? Raw, SessionRecord? Session, CancellationToken CancellationToken)
    {
        // Continuations run on the pool, never inline on the writer loop (which would stall the queue).
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static partial class Log
    {
        [LoggerMessage(3041, LogLevel.Warning, "A batch of {Count} writes failed to commit to PostgreSQL; retrying them one by one")]
        public static partial void BatchRetried(ILogger logger, int count, Exception exception);

        [LoggerMessage(3046, LogLevel.Warning, "The PostgreSQL connection was lost during a write; reconnecting once")]
        public static partial void Reconnecting(ILogger logger, Exception exception);

        [LoggerMessage(3042, LogLevel.Error, "A write could not be committed to PostgreSQL")]
        public static partial void WriteFailed(ILogger logger, Exception exception);
    }
}
