using MailSink.Domain;
using Npgsql;

namespace MailSink.Storage.Postgres;

/// <summary>
/// Read state, tags and deletes: each call is one short transaction that changes the rows, the exact counts and
/// sends its notification; the events are returned to be published after the commit. Rows are locked before the
/// counters row everywhere (as the ingest batch does), so these never deadlock with ingest.
/// </summary>
internal sealed class PostgresMutations(PostgresDatabase database, ClusterNode node)
{
    public Task<(int, List<MailboxEvent>)> SetReadAsync(IReadOnlyCollection<string>? ids, bool read, CancellationToken cancellationToken) =>
        InTransactionAsync("change read state", async (connection, events) =>
        {
            // Only rows whose state changes are touched and announced.
            var sql = ids is null
                ? "UPDATE messages SET read = $1 WHERE read <> $1 RETURNING id, read, tags"
                : "UPDATE messages SET read = $1 WHERE read <> $1 AND id = ANY($2) RETURNING id, read, tags";
            object[] parameters = ids is null ? [read] : [read, ids.Distinct(StringComparer.Ordinal).ToArray()];
            var changed = await UpdatedAsync(connection, sql, parameters, events, cancellationToken).ConfigureAwait(false);
            await FinishAsync(connection, 0, read ? -changed.Count : changed.Count, ClusterNotifications.Updated, changed, cancellationToken).ConfigureAwait(false);
            return changed.Count;
        },
        cancellationToken);

    public Task<(int, List<MailboxEvent>)> SetTagsAsync(IReadOnlyCollection<string> ids, IReadOnlyList<string> tags, CancellationToken cancellationToken) =>
        InTransactionAsync("set tags", async (connection, events) =>
        {
            var changed = await UpdatedAsync(
                connection,
                "UPDATE messages SET tags = $1 WHERE id = ANY($2) RETURNING id, read, tags",
                [tags.Select(PostgresJson.TextSafe).ToArray(), ids.Distinct(StringComparer.Ordinal).ToArray()],
                events,
                cancellationToken).ConfigureAwait(false);
            await FinishAsync(connection, 0, 0, ClusterNotifications.Updated, changed, cancellationToken).ConfigureAwait(false);
            return changed.Count;
        },
        cancellationToken);

    public Task<(int, List<MailboxEvent>)> AddTagsAsync(string id, IReadOnlyList<string> tags, CancellationToken cancellationToken) =>
        RewriteTagsAsync("add tags", "id = $1", id, old => TagNames.Normalize(old.Concat(tags)), existing: true, cancellationToken);

    /// <summary>Renames a tag spelled exactly so (array containment compares text exactly, as the LiteDB store's check does).</summary>
    public Task<(int, List<MailboxEvent>)> RenameTagAsync(string from, string to, CancellationToken cancellationToken) =>
        RewriteTagsAsync("rename a tag", "tags @> ARRAY[$1]", from, old => TagNames.Normalize(old.Select(t => t == from ? to : t)), existing: false, cancellationToken);

    public Task<(int, List<MailboxEvent>)> DeleteTagAsync(string tag, CancellationToken cancellationToken) =>
        RewriteTagsAsync("delete a tag", "tags @> ARRAY[$1]", tag, old => old.Where(t => t != tag).ToList(), existing: false, cancellationToken);

    public Task<(int, List<MailboxEvent>)> DeleteAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        InTransactionAsync("delete messages", async (connection, events) =>
        {
            var deleted = await DeleteRowsAsync(connection, "id = ANY($1)", [ids.Distinct(StringComparer.Ordinal).ToArray()], cancellationToken).ConfigureAwait(false);
            if (deleted.Count > 0)
            {
                events.Add(new MessagesDeleted(deleted));
            }

            return deleted.Count;
        },
        cancellationToken);

    /// <summary>
    /// Everything, messages and sessions. TRUNCATE is instant at any size (a DELETE would write every row); it waits
    /// for the ingest transactions in flight, and the counters row is taken only after it, as everywhere.
    /// </summary>
    public Task<(int, List<MailboxEvent>)> DeleteAllAsync(CancellationToken cancellationToken) =>
        InTransactionAsync("delete every message", async (connection, events) =>
        {
            await using (var truncate = PostgresRows.Command(connection, "TRUNCATE message_raw, messages, sessions"))
            {
                await truncate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var reset = PostgresRows.Command(
                connection,
                "UPDATE counters c SET messages = 0, unread = 0, sessions = 0 FROM (SELECT messages FROM counters WHERE id = 1 FOR UPDATE) old WHERE c.id = 1 RETURNING old.messages");
            var count = (int)(long)(await reset.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            await using var batch = new NpgsqlBatch(connection);
            ClusterNotifications.AddDeletedAll(batch, node.Id, count);
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            events.Add(new MessagesDeleted(null) { Count = count });
            return count;
        },
        cancellationToken);

    /// <summary>Deletes the messages matching <paramref name="where"/> (raw bytes go by cascade), counts and notifies; returns their ids.</summary>
    public async Task<List<string>> DeleteRowsAsync(NpgsqlConnection connection, string where, object[] parameters, CancellationToken cancellationToken)
    {
        var deleted = new List<string>();
        var unread = 0;
        await using (var delete = PostgresRows.Command(connection, $"DELETE FROM messages WHERE {where} RETURNING id, read", parameters))
        await using (var reader = await delete.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                deleted.Add(reader.GetString(0));
                unread += reader.GetBoolean(1) ? 0 : 1;
            }
        }

        await FinishAsync(connection, -deleted.Count, -unread, ClusterNotifications.Deleted, deleted, cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>Runs <paramref name="work"/> in one transaction; database faults become <see cref="StoreUnavailableException"/>.</summary>
    public async Task<(T, List<MailboxEvent>)> InTransactionAsync<T>(
        string purpose, Func<NpgsqlConnection, List<MailboxEvent>, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(purpose, cancellationToken).ConfigureAwait(false);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var events = new List<MailboxEvent>();
            var result = await work(connection, events).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (result, events);
        }
        catch (Exception ex) when (PostgresDatabase.IsDatabaseFault(ex))
        {
            throw new StoreUnavailableException($"The message store (PostgreSQL at {database.Where}) could not {purpose}: {ex.Message}", ex);
        }
    }

    private Task<(int, List<MailboxEvent>)> RewriteTagsAsync(
        string purpose, string where, string value, Func<List<string>, List<string>> change, bool existing, CancellationToken cancellationToken) =>
        InTransactionAsync(purpose, async (connection, events) =>
        {
            var rows = new List<(string Id, List<string> Tags)>();
            await using (var select = PostgresRows.Command(connection, $"SELECT id, tags FROM messages WHERE {where} FOR UPDATE", value))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add((reader.GetString(0), (await reader.GetFieldValueAsync<string[]>(1, cancellationToken).ConfigureAwait(false)).ToList()));
                }
            }

            var changed = new List<string>();
            await using var batch = new NpgsqlBatch(connection);
            foreach (var (id, tags) in rows)
            {
                var updated = change(tags);
                if (!updated.SequenceEqual(tags, StringComparer.Ordinal))
                {
                    batch.BatchCommands.Add(PostgresRows.BatchCommand("UPDATE messages SET tags = $1 WHERE id = $2", updated.ToArray(), id));
                    changed.Add(id);
                }
            }

            if (changed.Count > 0)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                var found = await UpdatedAsync(
                    connection, "SELECT id, read, tags FROM messages WHERE id = ANY($1)", [changed.ToArray()], events, cancellationToken).ConfigureAwait(false);
                await FinishAsync(connection, 0, 0, ClusterNotifications.Updated, found, cancellationToken).ConfigureAwait(false);
            }

            // Add answers whether the message exists; rename and delete how many carried the tag.
            return existing ? rows.Count : rows.Count(r => r.Tags.Contains(value, StringComparer.Ordinal));
        },
        cancellationToken);

    /// <summary>Runs a statement returning (id, read, tags) rows and records a <see cref="MessageUpdated"/> for each.</summary>
    private static async Task<List<string>> UpdatedAsync(
        NpgsqlConnection connection, string sql, object[] parameters, List<MailboxEvent> events, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await using var command = PostgresRows.Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetString(0);
            ids.Add(id);
            events.Add(new MessageUpdated(id, reader.GetBoolean(1), await reader.GetFieldValueAsync<string[]>(2, cancellationToken).ConfigureAwait(false)));
        }

        return ids;
    }

    /// <summary>Counts and notification of a change, in its transaction, after its rows (the lock order ingest uses too).</summary>
    private async Task FinishAsync(NpgsqlConnection connection, long messages, long unread, string kind, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        PostgresRows.AddCounts(batch, messages, unread, 0);
        ClusterNotifications.Add(batch, node.Id, kind, ids);
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
