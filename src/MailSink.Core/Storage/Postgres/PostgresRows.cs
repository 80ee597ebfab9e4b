using MailSink.Domain;
using Npgsql;
using NpgsqlTypes;

namespace MailSink.Storage.Postgres;

/// <summary>The SQL that writes and reads one message or session row, and the mapping of rows to domain objects.</summary>
internal static class PostgresRows
{
    /// <summary>The columns <see cref="ReadSummary"/> maps, in its order.</summary>
    public const string SummaryColumns = "summary, read, tags, search_text, received_at, id";

    /// <summary>The columns <see cref="ReadSessionSummary"/> maps: no transcript lines.</summary>
    public const string SessionSummaryColumns = "summary, line_count";

    public const string NewestFirst = "ORDER BY received_at DESC, id DESC";

    private const string InsertMessage = """
        INSERT INTO messages (id, received_at, session_id, from_address, subject, size, read, tags, summary, search_text)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        ON CONFLICT (id) DO UPDATE SET received_at = excluded.received_at, session_id = excluded.session_id,
            from_address = excluded.from_address, subject = excluded.subject, size = excluded.size, read = excluded.read,
            tags = excluded.tags, summary = excluded.summary, search_text = excluded.search_text
        """;

    private const string InsertRaw = """
        INSERT INTO message_raw (id, stored, original_length) VALUES ($1, $2, $3)
        ON CONFLICT (id) DO UPDATE SET stored = excluded.stored, original_length = excluded.original_length
        """;

    private const string InsertSession = """
        INSERT INTO sessions (id, started_at, outcome, message_ids, line_count, summary, lines)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at, outcome = excluded.outcome,
            message_ids = excluded.message_ids, line_count = excluded.line_count, summary = excluded.summary, lines = excluded.lines
        """;

    public static void AddMessage(NpgsqlBatch batch, MessageSummary summary, byte[] raw)
    {
        var insert = new NpgsqlBatchCommand(InsertMessage);
        insert.Parameters.Add(new() { Value = summary.Id });
        insert.Parameters.Add(new() { Value = summary.ReceivedAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        insert.Parameters.Add(new() { Value = PostgresJson.TextSafe(summary.SessionId) });
        insert.Parameters.Add(new() { Value = PostgresJson.TextSafe(summary.From?.Address) });
        insert.Parameters.Add(new() { Value = PostgresJson.TextSafe(summary.Subject) });
        insert.Parameters.Add(new() { Value = summary.Size });
        insert.Parameters.Add(new() { Value = summary.Read });
        insert.Parameters.Add(new() { Value = summary.Tags.Select(PostgresJson.TextSafe).ToArray() });
        insert.Parameters.Add(new() { Value = PostgresJson.Serialize(summary), NpgsqlDbType = NpgsqlDbType.Jsonb });
        insert.Parameters.Add(new() { Value = PostgresJson.TextSafe(summary.SearchText) });
        batch.BatchCommands.Add(insert);

        var (stored, originalLength) = RawCompression.Pack(raw);
        var rawInsert = new NpgsqlBatchCommand(InsertRaw);
        rawInsert.Parameters.Add(new() { Value = summary.Id });
        rawInsert.Parameters.Add(new() { Value = stored, NpgsqlDbType = NpgsqlDbType.Bytea });
        rawInsert.Parameters.Add(new() { Value = originalLength });
        batch.BatchCommands.Add(rawInsert);
    }

    public static void AddSession(NpgsqlBatch batch, SessionRecord session)
    {
        var insert = new NpgsqlBatchCommand(InsertSession);
        insert.Parameters.Add(new() { Value = session.Id });
        insert.Parameters.Add(new() { Value = session.StartedAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        insert.Parameters.Add(new() { Value = session.Outcome.ToString() });
        insert.Parameters.Add(new() { Value = session.MessageIds.ToArray() });
        insert.Parameters.Add(new() { Value = session.Lines.Count });
        insert.Parameters.Add(new() { Value = PostgresJson.Serialize(session), NpgsqlDbType = NpgsqlDbType.Jsonb });
        insert.Parameters.Add(new() { Value = PostgresJson.Serialize(session.Lines), NpgsqlDbType = NpgsqlDbType.Jsonb });
        batch.BatchCommands.Add(insert);
    }

    /// <summary>Maps a row selected with <see cref="SummaryColumns"/>.</summary>
    public static MessageSummary ReadSummary(NpgsqlDataReader reader) =>
        PostgresJson.ToSummary(reader.GetString(0), reader.GetBoolean(1), reader.GetFieldValue<string[]>(2), reader.GetString(3));

    public static SessionSummary ReadSessionSummary(NpgsqlDataReader reader) =>
        SessionSummary.From(PostgresJson.ToSession(reader.GetString(0), null)) with { LineCount = reader.GetInt32(1) };

    public static byte[] ReadRaw(NpgsqlDataReader reader)
    {
        var stored = reader.GetFieldValue<byte[]>(0);
        var originalLength = reader.GetInt32(1);
        return originalLength > 0 ? RawCompression.Unpack(stored, originalLength) : stored;
    }

    /// <summary>A command with positional parameters ($1, $2, ...).</summary>
    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters)
        {
            command.Parameters.Add(value is NpgsqlParameter p ? p : new NpgsqlParameter { Value = value });
        }

        return command;
    }

    public static NpgsqlBatchCommand BatchCommand(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(value is NpgsqlParameter p ? p : new NpgsqlParameter { Value = value });
        }

        return command;
    }

    /// <summary>Adds the change to the exact counts (the one counters row), when there is one.</summary>
    public static void AddCounts(NpgsqlBatch batch, long messages, long unread, long sessions)
    {
        if (messages != 0 || unread != 0 || sessions != 0)
        {
            batch.BatchCommands.Add(BatchCommand(
                "UPDATE counters SET messages = messages + $1, unread = unread + $2, sessions = sessions + $3 WHERE id = 1",
                messages, unread, sessions));
        }
    }
}
