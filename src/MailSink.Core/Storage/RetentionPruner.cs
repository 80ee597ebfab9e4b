using LiteDB;
using MailSink.Domain;

namespace MailSink.Storage;

/// <summary>
/// Retention rules, applied by the writer inside one transaction: the oldest messages beyond
/// the count limit and those older than the age limit go, with their raw bytes; sessions go when
/// they have no message left and are older than the oldest kept message (or than the age
/// limit), and the oldest sessions beyond the count limit go regardless.
/// </summary>
internal static class RetentionPruner
{
    public static int Prune(WriteContext context, int maxMessages, TimeSpan? maxAge, List<MailboxEvent> events)
    {
        var db = context.Database;
        long? cutoffTicks = maxAge is { } age ? (context.TimeProvider.GetUtcNow() - age).UtcTicks : null;

        var doomed = new List<string>();
        if (cutoffTicks is { } cutoff)
        {
            doomed.AddRange(IdsBefore(db.Messages, cutoff));
        }

        var excess = db.Messages.Count() - doomed.Count - Math.Max(0, maxMessages);
        if (excess > 0)
        {
            // Oldest first; skip those the age rule already took so the count is exact.
            var already = doomed.ToHashSet(StringComparer.Ordinal);
            doomed.AddRange(OldestIds(db.Messages).Where(id => !already.Contains(id)).Take(excess).ToList());
        }

        var deleted = MailMutations.DeleteMessages(context, doomed);
        if (deleted.Count > 0)
        {
            events.Add(new MessagesDeleted(deleted));
        }

        PruneSessions(db, maxMessages, cutoffTicks);
        return deleted.Count;
    }

    private static void PruneSessions(MailDatabase db, int maxMessages, long? cutoffTicks)
    {
        var oldestKept = OldestSortKey(db.Messages);

        // A session older than every kept message (or than the age limit) cannot be the
        // session of a message that will arrive later, so without messages it is history.
        string? threshold = null;
        if (oldestKept is not null)
        {
            threshold = oldestKept[..19];
        }

        if (cutoffTicks is { } cutoff)
        {
            var ageKey = StoreKeys.TicksPrefix(cutoff);
            threshold = threshold is null || string.CompareOrdinal(ageKey, threshold) > 0 ? ageKey : threshold;
        }

        if (threshold is not null)
        {
            var candidates = db.Sessions.Query()
                .Where($"$.{StoreKeys.SortKey} < @0", threshold)
                .ToDocuments()
                .Select(d => (Id: d["_id"], Messages: MessageIdsOf(d)))
                .ToList();
            foreach (var (id, messageIds) in candidates)
            {
                if (!messageIds.Any(m => db.Messages.Exists("_id = @0", m)))
                {
                    db.Sessions.Delete(id);
                }
            }
        }

        var sessionExcess = db.Sessions.Count() - Math.Max(0, maxMessages);
        if (sessionExcess > 0)
        {
            var oldest = db.Sessions.Query().OrderBy($"$.{StoreKeys.SortKey}").Limit(sessionExcess)
                .ToDocuments().Select(d => d["_id"]).ToList();
            foreach (var id in oldest)
            {
                db.Sessions.Delete(id);
            }
        }
    }

    private static List<string> MessageIdsOf(BsonDocument session) =>
        session.TryGetValue("MessageIds", out var ids) && ids.IsArray ? ids.AsArray.Select(m => m.AsString).ToList() : [];

    private static List<string> IdsBefore(ILiteCollection<BsonDocument> messages, long cutoffTicks) =>
        messages.Query()
            .Where($"$.{StoreKeys.SortKey} < @0", StoreKeys.TicksPrefix(cutoffTicks))
            .ToDocuments()
            .Select(d => d["_id"].AsString)
            .ToList();

    private static IEnumerable<string> OldestIds(ILiteCollection<BsonDocument> messages) =>
        messages.Query().OrderBy($"$.{StoreKeys.SortKey}").ToDocuments().Select(d => d["_id"].AsString);

    private static string? OldestSortKey(ILiteCollection<BsonDocument> messages) =>
        messages.Query().OrderBy($"$.{StoreKeys.SortKey}").Limit(1).ToDocuments()
            .Select(d => d[StoreKeys.SortKey].AsString).FirstOrDefault();
}
