namespace MailSink.Storage;

/// <summary>
/// Keeps readers out of LiteDB while the writer changes it. LiteDB 5.0.21 lets a query read pages that a commit on
/// another thread is moving between its log and its cache (litedb-org/LiteDB#2825): under a few hundred messages a
/// second with /api/v1/wait scans running, reads failed with "pages in memory store must be non-shared" or "page type
/// must be data page", and the engine then closed itself, so every later read and commit failed until a restart
/// (<c>bench/latency.sh 500 15 8</c>, issue 12). Reads share the gate; the writer takes it alone for each batch's
/// transaction, checkpoint, compaction and engine reopen. A waiting writer goes before new readers
/// (<see cref="ReaderWriterLockSlim"/> prefers writers), and long scans step out between chunks
/// (<see cref="YieldRead"/>), so a search over a large store does not hold ingest back for its whole length.
/// Every holder is synchronous and never awaits inside (the lock is bound to its thread). The store switches
/// LiteDB's page budget as the writer enters and leaves (<see cref="LiteDbTransactionBudget"/>).
/// </summary>
internal sealed class EngineGate : IDisposable
{
    // Recursion: a handler of an event published by the writer may read on the writer's thread.
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.SupportsRecursion);

    private readonly Action _exclusiveEntered;
    private readonly Action _exclusiveLeaving;

    /// <summary>
    /// <paramref name="exclusiveEntered"/> runs once the writer holds the gate alone (not on a recursive entry), and
    /// <paramref name="exclusiveLeaving"/> just before it lets readers in again: with no read open in between.
    /// </summary>
    public EngineGate(Action exclusiveEntered, Action exclusiveLeaving)
    {
        _exclusiveEntered = exclusiveEntered;
        _exclusiveLeaving = exclusiveLeaving;
    }

    public ReadScope Read()
    {
        _lock.EnterReadLock();
        return new ReadScope(_lock);
    }

    public WriteScope Write()
    {
        _lock.EnterWriteLock();
        if (_lock.RecursiveWriteCount == 1)
        {
            try
            {
                _exclusiveEntered();
            }
            catch
            {
                _lock.ExitWriteLock();
                throw;
            }
        }

        return new WriteScope(this);
    }

    private void ExitWrite()
    {
        try
        {
            if (_lock.RecursiveWriteCount == 1)
            {
                _exclusiveLeaving();
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Lets a waiting writer in between two chunks of a long read (no-op when not in a read).</summary>
    public void YieldRead()
    {
        if (_lock.IsReadLockHeld && _lock.RecursiveReadCount == 1 && !_lock.IsWriteLockHeld)
        {
            _lock.ExitReadLock();
            _lock.EnterReadLock();
        }
    }

    public void Dispose() => _lock.Dispose();

    public readonly struct ReadScope(ReaderWriterLockSlim gate) : IDisposable
    {
        public void Dispose() => gate.ExitReadLock();
    }

    public readonly struct WriteScope(EngineGate gate) : IDisposable
    {
        public void Dispose() => gate.ExitWrite();
    }
}
