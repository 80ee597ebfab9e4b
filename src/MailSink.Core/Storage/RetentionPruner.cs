using LiteDB;
using MailSink.Domain;

namespace MailSink.Storage;

/// <summary>
/// One retention run, applied by the writer in turns: the oldest messages beyond the count limit and those older
/// than the age limit go, with their raw bytes; sessions go when they have no message left and are older than the
/// oldest kept message (or than the age limit), and the oldest sessions beyond the count limit go regardless.
/// Each <see cref="Step"/> is one write operation, committed in a transaction of its own, that deletes at most
/// <see cref="BatchSize"/> messages or sessions and stops early once it has taken <see cref="TurnBudget"/>; the caller
/// queues the next step behind whatever arrived meanwhile, so ingest batches interleave with the pruning. In one transaction, 100,000 messages held the
/// writer (and every client waiting for its 250) for about 5 s on the bench, 5,600 messages for about 0.5 s
/// (bench/prune-stall.sh). Used by one run at a time, on the writer thread only.
/// </summary>
internal sealed class RetentionPruner(int maxMessages, TimeSpan? maxAge, int batchSize, Func<WriteContext, int> storedCount)
{
    /// <summary>About 100 µs a message with its raw chunks on the bench machine: 100 a turn keeps a turn near 10 ms.</summary>
    public const int DefaultBatchSize = 100;

    /// <summary>A turn stops after this long even below the batch size (a slow or busy machine, big documents).</summary>
    public static readonly TimeSpan TurnBudget = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Deletes a turn makes whatever the clock says: on a busy machine a preempted writer finds the budget spent after
    /// a handful, and retention must still outpace ingest (a 10-minute load at 386 msg/s outgrew it otherwise).
    /// </summary>
    private const int MinimumPerTurn = 25;

    /// <summary>Sessions hold every message id and their transcript: the candidates are read a few at a time, light.</summary>
    private const int SessionCandidates = 25;

    private enum Phase
    {
        Messages,
        OrphanSessions,
        SessionCap,
        Done,
    }

    private readonly int _maxMessages = Math.Max(0, maxMessages);
    private Phase _phase;
    private bool _started;
    private long? _cutoffTicks;
    private string _sessionCursor = "";
    private int? _sessionExcess;

    public int BatchSize { get; } = Math.Max(1, batchSize);

    /// <summary>Messages deleted so far by this run.</summary>
    public int Deleted { get; private set; }

    /// <summary>Wall-clock time the last turn took on the writer (real time, whatever clock the store is given).</summary>
    public TimeSpan LastTurn { get; private set; }

    /// <summary>One write turn; returns whether another is needed.</summary>
    public bool Step(WriteContext context, List<MailboxEvent> events)
    {
        if (!_started)
        {
            // One age cutoff for the whole run, as when it was one transaction.
            _cutoffTicks = maxAge is { } age ? (context.TimeProvider.GetUtcNow() - age).UtcTicks : null;
            _started = true;
        }

        var started = context.TimeProvider.GetTimestamp();
        var wallClock = System.Diagnostics.Stopwatch.GetTimestamp();
        bool OverBudget() => context.TimeProvider.GetElapsedTime(started) >= TurnBudget;
        var more = _phase switch
        {
            Phase.Messages => PruneMessages(context, events, OverBudget),
            Phase.OrphanSessions => PruneOrphanSessions(context, OverBudget),
            Phase.SessionCap => CapSessions(context, OverBudget),
            _ => false,
        };

        if (!more && _phase != Phase.Done)
        {
            _phase++;
            more = _phase != Phase.Done;
        }

        LastTurn = System.Diagnostics.Stopwatch.GetElapsedTime(wallClock);
        return more;
    }

    /// <summary>Returns whether messages may be left to delete.</summary>
    private bool PruneMessages(WriteContext context, List<MailboxEvent> events, Func<bool> overBudget)
    {
        var db = context.Database;
        var deleted = new List<string>();
        var full = false;
        if (_cutoffTicks is { } cutoff)
        {
            var old = db.Messages.Query()
                .Where($"$.{StoreKeys.SortKey} < @0", StoreKeys.TicksPrefix(cutoff))
                .Select("{ _id: $._id }").Limit(BatchSize).ToDocuments().Select(d => d["_id"].AsString).ToList();
            full = old.Count == BatchSize;
            deleted.AddRange(MailMutations.DeleteMessages(context, Within(old, overBudget)));
        }

        // Counted after the age rule's deletes in this transaction, so the count rule takes only what is still over.
        var excess = Math.Min(storedCount(context) - _maxMessages, BatchSize - deleted.Count);
        // A turn that has deleted fewer than the minimum goes on whatever the clock says (a preempted thread can find
        // the budget spent before it starts), or a busy machine would end the run with the backlog still there.
        if (excess > 0 && (deleted.Count < MinimumPerTurn || !overBudget()))
        {
            var oldest = db.Messages.Query().OrderBy($"$.{StoreKeys.SortKey}").Select("{ _id: $._id }").Limit(excess)
                .ToDocuments().Select(d => d["_id"].AsString).ToList();
            deleted.AddRange(MailMutations.DeleteMessages(context, Within(oldest, overBudget)));
        }

        if (deleted.Count > 0)
        {
            events.Add(new MessagesDeleted(deleted));
            Deleted += deleted.Count;
        }

        // Nothing deleted means nothing could be: stop rather than turn forever.
        return deleted.Count > 0 && (full || overBudget() || storedCount(context) > _maxMessages);
    }

    /// <summary>
    /// A session older than every kept message (or than the age limit) cannot be the session of a message that will
    /// arrive later, so without messages it is history. Walks the candidates in sort-key order from a cursor, since
    /// those that still have a message stay and must not be read again each turn.
    /// </summary>
    private bool PruneOrphanSessions(WriteContext context, Func<bool> overBudget)
    {
        var db = context.Database;
        var threshold = OldestSortKey(db.Messages) is { } oldestKept ? oldestKept[..19] : null;
        if (_cutoffTicks is { } cutoff)
        {
            var ageKey = StoreKeys.TicksPrefix(cutoff);
            threshold = threshold is null || string.CompareOrdinal(ageKey, threshold) > 0 ? ageKey : threshold;
        }

        if (threshold is null)
        {
            return false;
        }

        // Only the fields needed: LiteDB then skips the transcript when it reads each document.
        var limit = Math.Min(SessionCandidates, BatchSize);
        var candidates = db.Sessions.Query()
            .Where($"$.{StoreKeys.SortKey} > @0", _sessionCursor)
            .Where($"$.{StoreKeys.SortKey} < @0", threshold)
            .OrderBy($"$.{StoreKeys.SortKey}")
            .Select($"{{ _id: $._id, Key: $.{StoreKeys.SortKey}, MessageIds: $.MessageIds }}")
            .Limit(limit)
            .ToDocuments()
            .Select(d => (Id: d["_id"], Key: d["Key"].AsString, Messages: MessageIdsOf(d)))
            .ToList();
        foreach (var (id, key, messageIds) in candidates)
        {
            _sessionCursor = key;
            if (!messageIds.Any(m => db.Messages.Exists("_id = @0", m)))
            {
                if (db.Sessions.Delete(id))
                {
                    context.SessionsDelta--;
                }
            }

            if (overBudget())
            {
                return true;
            }
        }

        return candidates.Count == limit;
    }

    /// <summary>The oldest sessions beyond the message limit go regardless; counted once a run (an index walk).</summary>
    private bool CapSessions(WriteContext context, Func<bool> overBudget)
    {
        var db = context.Database;
        _sessionExcess ??= db.Sessions.Count() - _maxMessages;
        if (_sessionExcess <= 0)
        {
            return false;
        }

        var oldest = db.Sessions.Query().OrderBy($"$.{StoreKeys.SortKey}").Select("{ _id: $._id }")
            .Limit(Math.Min(_sessionExcess.Value, BatchSize)).ToDocuments().Select(d => d["_id"]).ToList();
        foreach (var id in Within(oldest, overBudget))
        {
            if (db.Sessions.Delete(id))
            {
                context.SessionsDelta--;
            }
            _sessionExcess--;
        }

        return oldest.Count > 0 && _sessionExcess > 0;
    }

    /// <summary>Yields <see cref="MinimumPerTurn"/> items whatever the clock says, then stops once the turn is over budget.</summary>
    private static IEnumerable<T> Within<T>(IEnumerable<T> items, Func<bool> overBudget)
    {
        var taken = 0;
        foreach (var item in items)
        {
            if (taken >= MinimumPerTurn && overBudget())
            {
                yield break;
            }

            taken++;
            yield return item;
        }
    }

    private static List<string> MessageIdsOf(BsonDocument session) =>
        session.TryGetValue("MessageIds", out var ids) && ids.IsArray ? ids.AsArray.Select(m => m.AsString).ToList() : [];

    private static string? OldestSortKey(ILiteCollection<BsonDocument> messages) =>
        messages.Query().OrderBy($"$.{StoreKeys.SortKey}").Limit(1).ToDocuments()
            .Select(d => d[StoreKeys.SortKey].AsString).FirstOrDefault();
}
