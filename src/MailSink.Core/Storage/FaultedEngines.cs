using LiteDB;

namespace MailSink.Storage;

/// <summary>
/// LiteDB engines replaced after an I/O fault, kept reachable for the life of the process. A write that failed
/// on a full disk leaves its transaction active with pages LiteDB can no longer discard; once the engine is
/// unreachable, that transaction's finalizer (TransactionService.Dispose(false)) throws "discarded page must be
/// writable" on the finalizer thread, which kills the process (seen in the test suite, LiteDB 5.0.21). Keeping
/// the old engine referenced means its finalizers never run. Faults are rare (the writer checks free space
/// before writing), so the cost is one engine's cache per fault.
/// </summary>
internal static class FaultedEngines
{
    private static readonly List<LiteDatabase> Kept = [];

    public static int Count
    {
        get
        {
            lock (Kept)
            {
                return Kept.Count;
            }
        }
    }

    public static void Keep(LiteDatabase engine)
    {
        lock (Kept)
        {
            Kept.Add(engine);
        }
    }
}
