using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;

namespace MailSink.Storage.Postgres;

/// <summary>
/// What one node tells the others through PostgreSQL NOTIFY on <see cref="Channel"/>: a small JSON payload with the
/// ids only (<c>{"node":"…","kind":"stored","ids":[…]}</c>); the receivers read the rows. Sent inside the transaction
/// that made the change, so PostgreSQL delivers it on commit and never for a rolled-back change.
/// </summary>
internal static class ClusterNotifications
{
    public const string Channel = "mailsink_events";

    public const string Stored = "stored";
    public const string Deleted = "deleted";
    public const string Updated = "updated";
    public const string Session = "session";

    /// <summary>NOTIFY payloads must stay under 8,000 bytes: longer id lists go in several notifications.</summary>
    private const int MaxPayloadBytes = 7_000;

    /// <summary>Adds the NOTIFY commands for <paramref name="ids"/> to a batch (nothing when there are none).</summary>
    public static void Add(NpgsqlBatch batch, string node, string kind, IEnumerable<string> ids)
    {
        foreach (var payload in Payloads(node, kind, ids))
        {
            batch.BatchCommands.Add(Command(payload));
        }
    }

    /// <summary>One notification for a delete of everything, with how many messages went.</summary>
    public static void AddDeletedAll(NpgsqlBatch batch, string node, int count) =>
        batch.BatchCommands.Add(Command(JsonSerializer.Serialize(new ClusterNotification(node, Deleted, [], All: true, Count: count), JsonOptions)));

    /// <summary>Sends one notification of any kind on a connection, inside its current transaction if any.</summary>
    public static async Task NotifyAsync(NpgsqlConnection connection, string node, string kind, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        IEnumerable<string> payloads = ids.Count == 0 ? [JsonSerializer.Serialize(new ClusterNotification(node, kind, []), JsonOptions)] : Payloads(node, kind, ids);
        foreach (var payload in payloads)
        {
            await using var command = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection);
            command.Parameters.Add(new() { Value = Channel });
            command.Parameters.Add(new() { Value = payload });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public static ClusterNotification? Parse(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<ClusterNotification>(payload, JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    };

    private static NpgsqlBatchCommand Command(string payload)
    {
        var command = new NpgsqlBatchCommand("SELECT pg_notify($1, $2)");
        command.Parameters.Add(new() { Value = Channel });
        command.Parameters.Add(new() { Value = payload });
        return command;
    }

    private static IEnumerable<string> Payloads(string node, string kind, IEnumerable<string> ids)
    {
        var chunk = new List<string>();
        var bytes = 0;
        foreach (var id in ids)
        {
            var size = Encoding.UTF8.GetByteCount(id) + 8;
            if (chunk.Count > 0 && bytes + size > MaxPayloadBytes)
            {
                yield return JsonSerializer.Serialize(new ClusterNotification(node, kind, chunk), JsonOptions);
                chunk = [];
                bytes = 0;
            }

            chunk.Add(id);
            bytes += size;
        }

        if (chunk.Count > 0)
        {
            yield return JsonSerializer.Serialize(new ClusterNotification(node, kind, chunk), JsonOptions);
        }
    }
}

/// <summary>The payload of one notification. <paramref name="All"/> with <paramref name="Count"/>: everything was deleted.</summary>
internal sealed record ClusterNotification(string Node, string Kind, IReadOnlyList<string> Ids, bool All = false, int Count = 0);
