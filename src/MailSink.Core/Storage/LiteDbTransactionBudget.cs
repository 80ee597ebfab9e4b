using System.Collections;
using System.Reflection;
using LiteDB;

namespace MailSink.Storage;

/// <summary>
/// Caps how many pages a LiteDB read holds before it lets them go, so one long read cannot grow the page cache by
/// hundreds of megabytes; the writer keeps LiteDB's own budget.
/// <para>
/// LiteDB 5.0.21 pins every page a transaction reads (or dirties) until the transaction ends or reaches its page
/// budget (a "safepoint": a read releases its pages, a write moves its dirty pages to the log). The budget is shared
/// by all transactions: 100,000 pages (800 MB), handed out 1,000 at a time, and a transaction alone extends its own
/// until the whole of it is taken. The cache cannot reuse a pinned page, so it grows to hold them all and never gives
/// the memory back: at a million messages the first <c>subject:quarterly</c> (27,091 candidates, each on a page of
/// its own) grew it by ~300 MB and spent most of its 445-601 ms on page faults and the cache's growth.
/// </para>
/// <para>
/// Readers therefore share <see cref="ReadPages"/>, <see cref="ReadInitialPages"/> at a time: a long read lets its
/// pages go every 2,000 at most and the cache reuses them. Up to 20 readers at once get 100 pages each; one more gets
/// what the others give up, a page or so each, and then lets its pages go at nearly every document: slower, never
/// wrong. Measured with <c>million DIR</c> on the 1M store, alternating with the code before (issue 12): the first
/// <c>subject:quarterly</c> 256-264 against 445-531 ms, warm 210-220 against 148-173 ms (its pages are read again
/// from the OS cache), the process's peak RSS 177-216 against 660-668 MB; ingest unchanged.
/// </para>
/// <para>
/// The writer is not capped: a write transaction that reaches a safepoint after deleting pages loses them for good
/// (LiteDB 5.0.21 links a transaction's deleted pages into the file's free list only if the first of them is still
/// dirty at the commit; <c>TransactionService.PersistDirtyPages</c>), so deleting 40 messages of 1 MB under the
/// capped budget left 5,167 pages the file could never reuse. The writer holds the <see cref="EngineGate"/> alone, so
/// no read is open when it begins: <see cref="ForWrites"/> on entering it, <see cref="ForReads"/> on leaving it.
/// </para>
/// LiteDB has no setting for it (the total is a constant, <c>Constants.MAX_TRANSACTION_SIZE</c>): this sets two fields
/// of the engine's transaction monitor, under the lock LiteDB takes to hand pages out, counting the pages already held
/// by open transactions. If a LiteDB upgrade renames what this reaches, nothing changes but the memory used
/// (<see cref="IsAvailable"/> is false and a test fails).
/// </summary>
internal sealed class LiteDbTransactionBudget
{
    /// <summary>Pages all open read transactions may hold together (16 MB).</summary>
    public const int ReadPages = 2_000;

    /// <summary>Pages a read transaction starts with, and takes at a time while the total has them.</summary>
    public const int ReadInitialPages = 100;

    /// <summary>LiteDB's own: Constants.MAX_TRANSACTION_SIZE and a hundredth of it (MAX_OPEN_TRANSACTIONS).</summary>
    public const int WritePages = 100_000;

    public const int WriteInitialPages = 1_000;

    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic;

    private static readonly Type? MonitorType = typeof(LiteDatabase).Assembly.GetType("LiteDB.Engine.TransactionMonitor");
    private static readonly FieldInfo? FreePagesField = IntField(MonitorType, "_freePages");
    private static readonly FieldInfo? InitialSizeField = IntField(MonitorType, "_initialSize");
    private static readonly FieldInfo? TransactionsField = MonitorType?.GetField("_transactions", Instance);
    private static readonly PropertyInfo? MaxSizeProperty = typeof(LiteDatabase).Assembly
        .GetType("LiteDB.Engine.TransactionService")?.GetProperty("MaxTransactionSize");

    private readonly object? _monitor;
    private readonly IDictionary? _transactions;

    public LiteDbTransactionBudget(LiteDatabase db)
    {
        var engine = LiteDbCacheLimit.EngineOf(db);
        _monitor = engine?.GetType().GetField("_monitor", Instance)?.GetValue(engine);
        _transactions = _monitor is null ? null : TransactionsField?.GetValue(_monitor) as IDictionary;
    }

    /// <summary>False when LiteDB's internals are not as in 5.0.21: the budget then stays LiteDB's own.</summary>
    public bool IsAvailable =>
        _monitor is not null && _transactions is not null && FreePagesField is not null && InitialSizeField is not null && MaxSizeProperty is not null;

    /// <summary>Pages not yet handed to a transaction (-1 when unavailable).</summary>
    public int FreePages => IsAvailable ? (int)FreePagesField!.GetValue(_monitor)! : -1;

    /// <summary>Reads from now on: <see cref="ReadPages"/> in all, less what open transactions hold.</summary>
    public void ForReads() => Set(ReadPages, ReadInitialPages);

    /// <summary>The writer, alone in the gate: LiteDB's own budget, less what open transactions hold.</summary>
    public void ForWrites() => Set(WritePages, WriteInitialPages);

    private void Set(int totalPages, int initialPages)
    {
        if (!IsAvailable)
        {
            return;
        }

        // LiteDB hands pages out and takes them back under this lock; an open transaction gives back its own
        // MaxTransactionSize when it ends, so the free count is the new total less what is out now.
        lock (_transactions!)
        {
            try
            {
                var held = 0;
                foreach (var transaction in _transactions.Values)
                {
                    held += (int)MaxSizeProperty!.GetValue(transaction)!;
                }

                InitialSizeField!.SetValue(_monitor, initialPages);
                FreePagesField!.SetValue(_monitor, totalPages - held);
            }
            catch (Exception ex) when (ex is TargetException or TargetInvocationException or ArgumentException or InvalidCastException)
            {
                // Runs on every entry to and exit from the writer's gate: the budget is an optimisation, never a
                // reason to fail a write. The fields keep whatever they held.
            }
        }
    }

    private static FieldInfo? IntField(Type? type, string name) =>
        type?.GetField(name, Instance) is { } field && field.FieldType == typeof(int) ? field : null;
}
