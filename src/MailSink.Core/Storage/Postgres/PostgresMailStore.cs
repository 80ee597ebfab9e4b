using MailSink.Domain;
using MailSink.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace MailSink.Storage.Postgres;

/// <summary>
/// <see cref="IMailStore"/> over PostgreSQL, for several MailSink nodes sharing one database. Ingest goes through
/// <see cref="PostgresWriteQueue"/> (batched transactions); other changes are one short transaction each
/// (<see cref="PostgresMutations"/>); reads are plain queries on pooled connections. Every change is published on this
/// node's <see cref="MailboxEvents"/> after its commit and notified to the others (<see cref="PostgresEventListener"/>).
/// </summary>
internal sealed class PostgresMailStore : IMailStore, IAsyncDisposable
{
    private readonly PostgresDatabase _database;
    private readonly MailboxEvents _events;
    private readonly PostgresWriteQueue _writes;
    private readonly PostgresMutations _mutations;
    private readonly PostgresRetention _retention;
    private int _disposed;

    public PostgresMailStore(
        PostgresDatabase database, ClusterNode node, MailboxEvents events, IOptions<StorageOptions> storage, TimeProvider time, ILogger<PostgresMailStore> logger)
    {
        _database = database;
        _events = events;
        _writes = new PostgresWriteQueue(database, node, events, storage.Value.WriteBatchSize, logger);
        _mutations = new PostgresMutations(database, node);
        _retention = new PostgresRetention(_mutations, time);
    }

    public Task AddMessageAsync(MessageSummary summary, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken) =>
        AddMessageAsync(summary, raw, null, cancellationToken);

    public Task AddMessageAsync(MessageSummary summary, ReadOnlyMemory<byte> raw, SessionRecord? session, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(summary.Id);

        // Copied now: the caller's buffer (SmtpServer's pipe) is only valid until it stops waiting.
        return _writes.EnqueueAsync(summary, raw.ToArray(), session, cancellationToken);
    }

    public Task SaveSessionAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(session.Id);
        return _writes.EnqueueAsync(null, null, session, cancellationToken);
    }

    public Task<MessageSummary?> GetMessageAsync(string id, CancellationToken cancellationToken) =>
        QueryOneAsync($"SELECT {PostgresRows.SummaryColumns} FROM messages WHERE id = $1", PostgresRows.ReadSummary, cancellationToken, id);

    public Task<MessageSummary?> GetLatestAsync(CancellationToken cancellationToken) =>
        QueryOneAsync($"SELECT {PostgresRows.SummaryColumns} FROM messages {PostgresRows.NewestFirst} LIMIT 1", PostgresRows.ReadSummary, cancellationToken);

    public Task<byte[]?> GetRawAsync(string id, CancellationToken cancellationToken) =>
        QueryOneAsync("SELECT stored, original_length FROM message_raw WHERE id = $1", PostgresRows.ReadRaw, cancellationToken, id);

    public Task<Page<MessageSummary>> ListMessagesAsync(int start, int limit, Func<MessageSummary, bool>? filter, CancellationToken cancellationToken) =>
        filter is null
            ? ReadAsync("list messages", c => PageAsync(c, Math.Max(0, start), Math.Max(0, limit), cancellationToken), cancellationToken)
            : ReadAsync("search messages", c => PostgresSearch.ListAsync(c, Math.Max(0, start), Math.Max(0, limit), null, filter, cancellationToken), cancellationToken);

    public Task<Page<MessageSummary>> ListMessagesAsync(
        int start, int limit, Search.SearchQuery query, Func<MessageSummary, bool> filter, CancellationToken cancellationToken) =>
        ReadAsync("search messages", c => PostgresSearch.ListAsync(c, Math.Max(0, start), Math.Max(0, limit), query, filter, cancellationToken), cancellationToken);

    public Task<int> SetReadAsync(IReadOnlyCollection<string>? ids, bool read, CancellationToken cancellationToken) =>
        PublishAsync(_mutations.SetReadAsync(ids, read, cancellationToken));

    public Task<int> SetTagsAsync(IReadOnlyCollection<string> ids, IReadOnlyList<string> tags, CancellationToken cancellationToken) =>
        PublishAsync(_mutations.SetTagsAsync(ids, tags, cancellationToken));

    public Task<int> AddTagsAsync(string id, IReadOnlyList<string> tags, CancellationToken cancellationToken) =>
        PublishAsync(_mutations.AddTagsAsync(id, tags, cancellationToken));

    public Task<int> RenameTagAsync(string from, string to, CancellationToken cancellationToken) =>
        PublishAsync(_mutations.RenameTagAsync(from, to, cancellationToken));

    public Task<int> DeleteTagAsync(string tag, CancellationToken cancellationToken) =>
        PublishAsync(_mutations.DeleteTagAsync(tag, cancellationToken));

    public Task<IReadOnlyDictionary<string, int>> GetTagCountsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyDictionary<string, int>>("count tags", async connection =>
        {
            var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
            await using var command = PostgresRows.Command(connection, "SELECT t, count(*) FROM messages, unnest(tags) t WHERE tags <> '{}' GROUP BY t");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                counts[reader.GetString(0)] = (int)reader.GetInt64(1);
            }

            return counts;
        },
        cancellationToken);

    public Task<int> DeleteMessagesAsync(IReadOnlyCollection<string>? ids, CancellationToken cancellationToken) =>
        PublishAsync(ids is null ? _mutations.DeleteAllAsync(cancellationToken) : _mutations.DeleteAsync(ids, cancellationToken));

    public Task<SessionRecord?> GetSessionAsync(string id, CancellationToken cancellationToken) =>
        QueryOneAsync("SELECT summary, lines FROM sessions WHERE id = $1", r => PostgresJson.ToSession(r.GetString(0), r.GetString(1)), cancellationToken, id);

    public Task<Page<SessionSummary>> ListSessionsAsync(int start, int limit, CancellationToken cancellationToken) =>
        ReadAsync("list sessions", async connection =>
        {
            var items = new List<SessionSummary>();
            await using var command = PostgresRows.Command(
                connection,
                $"SELECT {PostgresRows.SessionSummaryColumns} FROM sessions ORDER BY started_at DESC, id DESC OFFSET $1 LIMIT $2",
                Math.Max(0, start),
                Math.Max(0, limit));
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    items.Add(PostgresRows.ReadSessionSummary(reader));
                }
            }

            var counts = await CountsAsync(connection, cancellationToken).ConfigureAwait(false);
            return new Page<SessionSummary>(items, counts.Sessions);
        },
        cancellationToken);

    public Task<StoreStats> GetStatsAsync(CancellationToken cancellationToken) =>
        ReadAsync("read counts", async connection =>
        {
            var counts = await CountsAsync(connection, cancellationToken).ConfigureAwait(false);
            await using var size = PostgresRows.Command(connection, "SELECT pg_database_size(current_database())");
            var bytes = (long)(await size.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            return new StoreStats(counts.Messages, counts.Unread, bytes, counts.Sessions);
        },
        cancellationToken);

    public Task<int> PruneAsync(int maxMessages, TimeSpan? maxAge, CancellationToken cancellationToken) =>
        _retention.PruneAsync(maxMessages, maxAge, _events.Publish, cancellationToken);

    /// <summary>Lets queued writes commit, then closes the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _writes.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Newest first from position <paramref name="start"/>: the page's first key from the index alone (an index-only
    /// scan skips rows without reading them), then the page by keyset on (received_at, id).
    /// </summary>
    private static async Task<Page<MessageSummary>> PageAsync(NpgsqlConnection connection, int start, int limit, CancellationToken cancellationToken)
    {
        var items = new List<MessageSummary>();
        var sql = start == 0
            ? $"SELECT {PostgresRows.SummaryColumns} FROM messages {PostgresRows.NewestFirst} LIMIT $1"
            : $"""
              SELECT {PostgresRows.SummaryColumns} FROM messages
              WHERE (received_at, id) <= (SELECT received_at, id FROM messages {PostgresRows.NewestFirst} OFFSET $2 LIMIT 1)
              {PostgresRows.NewestFirst} LIMIT $1
              """;
        await using (var command = start == 0 ? PostgresRows.Command(connection, sql, limit) : PostgresRows.Command(connection, sql, limit, start))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                items.Add(PostgresRows.ReadSummary(reader));
            }
        }

        var counts = await CountsAsync(connection, cancellationToken).ConfigureAwait(false);
        return new Page<MessageSummary>(items, counts.Messages);
    }

    private static async Task<(int Messages, int Unread, int Sessions)> CountsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = PostgresRows.Command(connection, "SELECT messages, unread, sessions FROM counters WHERE id = 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return ((int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2));
    }

    private async Task<int> PublishAsync(Task<(int Result, List<MailboxEvent> Events)> change)
    {
        var (result, events) = await change.ConfigureAwait(false);
        foreach (var e in events)
        {
            _events.Publish(e);
        }

        return result;
    }

    private Task<T?> QueryOneAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken, params object[] parameters)
        where T : class =>
        ReadAsync<T?>("read", async connection =>
        {
            await using var command = PostgresRows.Command(connection, sql, parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? map(reader) : null;
        },
        cancellationToken);

    private async Task<T> ReadAsync<T>(string purpose, Func<NpgsqlConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(purpose, cancellationToken).ConfigureAwait(false);
        try
        {
            return await read(connection).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgresDatabase.IsDatabaseFault(ex))
        {
            throw new StoreUnavailableException($"The message store (PostgreSQL at {_database.Where}) could not {purpose}: {ex.Message}", ex);
        }
    }
}
