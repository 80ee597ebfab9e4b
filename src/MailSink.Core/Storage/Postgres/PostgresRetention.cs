using MailSink.Domain;
using NpgsqlTypes;

namespace MailSink.Storage.Postgres;

/// <summary>
/// The retention rules of <see cref="RetentionPruner"/> as set-based deletes of at most <see cref="BatchSize"/> rows,
/// each its own short transaction, so ingest (which takes the counters row after its inserts) never waits behind a
/// prune of a million rows. Each batch publishes its own <see cref="MessagesDeleted"/>.
/// </summary>
internal sealed class PostgresRetention(PostgresMutations mutations, TimeProvider time)
{
    public const int BatchSize = 1_000;

    public async Task<int> PruneAsync(int maxMessages, TimeSpan? maxAge, Action<MailboxEvent> publish, CancellationToken cancellationToken)
    {
        var deleted = 0;
        DateTime? cutoff = maxAge is { } age ? (time.GetUtcNow() - age).UtcDateTime : null;
        if (cutoff is { } before)
        {
            deleted += await DeleteInBatchesAsync(
                "prune old messages",
                $"id IN (SELECT id FROM messages WHERE received_at < $1 ORDER BY received_at, id LIMIT {BatchSize})",
                [Timestamp(before)],
                publish,
                cancellationToken).ConfigureAwait(false);
        }

        // Oldest first beyond the limit: the exact count says how many, each batch takes the oldest of them.
        deleted += await DeleteInBatchesAsync(
            "prune the oldest messages",
            $"id IN (SELECT id FROM messages ORDER BY received_at, id LIMIT LEAST({BatchSize}, GREATEST(0, (SELECT messages FROM counters WHERE id = 1) - $1)))",
            [(long)Math.Max(0, maxMessages)],
            publish,
            cancellationToken).ConfigureAwait(false);

        await PruneSessionsAsync(maxMessages, cutoff, cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>
    /// Sessions older than every kept message (or than the age limit) with none of their messages left are history;
    /// then the oldest beyond the count limit go regardless (the same rules as <see cref="RetentionPruner"/>).
    /// </summary>
    private async Task PruneSessionsAsync(int maxMessages, DateTime? cutoff, CancellationToken cancellationToken)
    {
        int removed;
        do
        {
            (removed, _) = await mutations.InTransactionAsync("prune sessions", async (connection, _) =>
            {
                await using var delete = PostgresRows.Command(
                    connection,
                    $"""
                    WITH gone AS (
                        DELETE FROM sessions WHERE id IN (
                            SELECT s.id FROM sessions s
                            WHERE s.started_at < GREATEST(COALESCE((SELECT min(received_at) FROM messages), $1), COALESCE($1, '-infinity'))
                              AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = ANY(s.message_ids))
                            LIMIT {BatchSize})
                        RETURNING 1)
                    UPDATE counters SET sessions = sessions - (SELECT count(*) FROM gone) WHERE id = 1 RETURNING (SELECT count(*) FROM gone)
                    """,
                    Timestamp(cutoff));
                return (int)(long)(await delete.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            },
            cancellationToken).ConfigureAwait(false);
        }
        while (removed == BatchSize);

        do
        {
            (removed, _) = await mutations.InTransactionAsync("cap sessions", async (connection, _) =>
            {
                await using var delete = PostgresRows.Command(
                    connection,
                    $"""
                    WITH gone AS (
                        DELETE FROM sessions WHERE id IN (
                            SELECT id FROM sessions ORDER BY started_at, id
                            LIMIT LEAST({BatchSize}, GREATEST(0, (SELECT sessions FROM counters WHERE id = 1) - $1)))
                        RETURNING 1)
                    UPDATE counters SET sessions = sessions - (SELECT count(*) FROM gone) WHERE id = 1 RETURNING (SELECT count(*) FROM gone)
                    """,
                    (long)Math.Max(0, maxMessages));
                return (int)(long)(await delete.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            },
            cancellationToken).ConfigureAwait(false);
        }
        while (removed == BatchSize);
    }

    private async Task<int> DeleteInBatchesAsync(
        string purpose, string where, object[] parameters, Action<MailboxEvent> publish, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var (deleted, events) = await mutations.InTransactionAsync(
                purpose,
                (connection, _) => mutations.DeleteRowsAsync(connection, where, parameters, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            if (deleted.Count > 0)
            {
                publish(new MessagesDeleted(deleted));
            }

            total += deleted.Count;
            if (deleted.Count < BatchSize)
            {
                return total;
            }
        }
    }

    private static Npgsql.NpgsqlParameter Timestamp(DateTime? value) =>
        new() { Value = value is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };
}
