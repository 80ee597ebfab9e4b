using System.Threading.Channels;
using MailSink.Domain;
using Microsoft.Extensions.Logging;

namespace MailSink.Storage;

/// <summary>
/// The single writer. LiteDB locks are bound to the calling thread, so every change is applied by
/// one loop that drains a bounded channel and commits up to a batch of operations per transaction
/// (~1,900 msg/s one per transaction vs ~5,900 msg/s batched, FIELD-NOTES). The channel is bounded
/// so a flood of senders waits instead of growing memory without limit.
/// A full disk is met before LiteDB hits it (<see cref="DiskSpaceGuard"/>): those writes fail at once with
/// <see cref="StoreUnavailableException"/> and the rest keep working. If LiteDB still gets an I/O error, its
/// engine is reopened from the file, and retried every second until it opens.
/// </summary>
internal sealed partial class MessageWriteQueue : IAsyncDisposable
{
    private readonly Channel<WriteOperation> _channel;
    private readonly WriteContext _context;
    private readonly StoreCounters _counters;
    private readonly MailboxEvents _events;
    private readonly ILogger _logger;
    private readonly int _batchSize;
    private readonly DiskSpaceGuard _guard;
    private readonly TimeProvider _time;
    private readonly Task _writer;

    /// <summary>Set while the engine is closed because it could not be reopened after an I/O error.</summary>
    private volatile string? _engineFault;
    private bool _refusing;
    private long _uncheckpointedBytes;
    private bool _compactPending;

    public MessageWriteQueue(
        MailDatabase database,
        StoreCounters counters,
        MailboxEvents events,
        TimeProvider timeProvider,
        int batchSize,
        ILogger logger)
    {
        _batchSize = Math.Max(1, batchSize);
        _channel = Channel.CreateBounded<WriteOperation>(new BoundedChannelOptions(Math.Max(64, _batchSize * 2))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _context = new WriteContext(database, timeProvider);
        _counters = counters;
        _events = events;
        _logger = logger;
        _time = timeProvider;
        _guard = new DiskSpaceGuard(database.Folder);
        _writer = Task.Run(RunAsync);
    }

    /// <summary>
    /// LiteDB's own default: it checkpointed when the log passed 1,000 pages of 8 KB. The writer now does it
    /// itself (see <see cref="MailDatabase"/>), after publishing, so a failed checkpoint fails no client.
    /// </summary>
    internal const long CheckpointBytes = 1000 * 8192;

    /// <summary>How often a closed engine is tried again, with or without writes waiting.</summary>
    internal static readonly TimeSpan ReopenInterval = TimeSpan.FromSeconds(1);

    /// <summary>Why new mail would be refused right now, or null when it would be stored. Cheap (one statvfs).</summary>
    public string? RefusalReason() => _engineFault ?? _guard.Refuse(0);

    /// <summary>Queues a change and completes once the batch holding it has committed.</summary>
    public Task<T> EnqueueAsync<T>(
        Func<WriteContext, List<MailboxEvent>, T> apply, CancellationToken cancellationToken) =>
        EnqueueAsync(apply, WriteCost.Small, cancellationToken);

    /// <summary>Queues a change that adds <paramref name="cost"/> to the file (or frees space).</summary>
    public Task<T> EnqueueAsync<T>(
        Func<WriteContext, List<MailboxEvent>, T> apply, WriteCost cost, CancellationToken cancellationToken) =>
        EnqueueAsync(new WriteOperation<T>(apply, cost, cancellationToken), cancellationToken);

    /// <summary>Queues background work that commits in a transaction of its own (see <see cref="WriteOperation.RunsAlone"/>).</summary>
    public Task<T> EnqueueAloneAsync<T>(
        Func<WriteContext, List<MailboxEvent>, T> apply, WriteCost cost, CancellationToken cancellationToken) =>
        EnqueueAsync(new WriteOperation<T>(apply, cost, cancellationToken) { RunsAlone = true }, cancellationToken);

    private async Task<T> EnqueueAsync<T>(WriteOperation<T> operation, CancellationToken cancellationToken)
    {
        try
        {
            await _channel.Writer.WriteAsync(operation, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            throw new StoreUnavailableException("The message store is shutting down.", ex);
        }

        return await operation.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops accepting writes, commits what is queued, then returns.</summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<WriteOperation>(_batchSize);
        Task<bool>? waiting = null;
        WriteOperation? alone = null;
        while (true)
        {
            if (alone is not null)
            {
                // Read from the channel behind the writes it was queued after: it runs now, on its own.
                batch.Add(alone);
                alone = null;
                RunBatch(batch);
                batch.Clear();
                continue;
            }

            waiting ??= _channel.Reader.WaitToReadAsync().AsTask();
            if (_engineFault is not null)
            {
                // A closed engine is retried on a timer too, so reads and /readyz recover without waiting for mail.
                var retry = Task.Delay(ReopenInterval, _time);
                if (await Task.WhenAny(waiting, retry).ConfigureAwait(false) != waiting)
                {
                    TryReopen();
                    continue;
                }
            }

            var more = await waiting.ConfigureAwait(false);
            waiting = null;
            if (!more)
            {
                return;
            }

            while (batch.Count < _batchSize && _channel.Reader.TryRead(out var operation))
            {
                if (operation.IsCancelled)
                {
                    operation.Cancel();
                }
                else if (operation.RunsAlone)
                {
                    // Ends this batch: what came before commits first, then the background turn by itself.
                    alone = operation;
                    break;
                }
                else
                {
                    batch.Add(operation);
                }
            }

            if (batch.Count > 0)
            {
                RunBatch(batch);
                batch.Clear();
            }
        }
    }

    /// <summary>Refuses what the disk cannot take, commits the rest, then checkpoints if the log has grown.</summary>
    private void RunBatch(List<WriteOperation> batch)
    {
        if (_engineFault is not null && !TryReopen())
        {
            Refuse(batch, _engineFault);
            return;
        }

        var admitted = Admit(batch);
        if (admitted.Count == 0)
        {
            return;
        }

        CommitBatch(admitted);
        if (_compactPending)
        {
            _compactPending = false;
            Compact();
        }

        Checkpoint();
    }

    /// <summary>
    /// After a delete-all: a fresh file (or empty streams) and a fresh engine, whose cache is empty, then a
    /// full compacting GC so the freed memory goes back to the OS (<see cref="StoreCompactor"/>). LiteDB alone keeps the file at its largest
    /// and its page cache at its fullest (issue 13: 177 to 333 MB RSS, 189 MB file for nothing).
    /// </summary>
    private void Compact()
    {
        using var exclusive = _context.Database.Gate.Write();
        try
        {
            if (StoreCompactor.CompactAfterDeleteAll(_context.Database) is { } sizes)
            {
                StoreCompactor.GiveMemoryBack();
                _uncheckpointedBytes = 0;
                Log.Compacted(_logger, sizes.Before, sizes.After);
            }
        }
        catch (Exception ex) when (ex is LiteDB.LiteException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // The delete itself is committed; only the space is not given back yet (the next start-up tries again).
            Log.CompactFailed(_logger, ex);
        }

        try
        {
            _counters.Recount(_context.Database);
        }
        catch (Exception ex) when (ex is LiteDB.LiteException or ObjectDisposedException)
        {
            Log.CountFailed(_logger, ex);
        }

    }

    /// <summary>Fails at once, with the reason, each write that would not fit on the disk; returns the others.</summary>
    private List<WriteOperation> Admit(List<WriteOperation> batch)
    {
        var admitted = new List<WriteOperation>(batch.Count);
        long bytes = 0;
        string? refusal = null;
        foreach (var operation in batch)
        {
            if (!operation.Cost.FreesSpace && _guard.Refuse(bytes + operation.Cost.Bytes) is { } reason)
            {
                refusal = reason;
                operation.Fail(new StoreUnavailableException($"The message store is refusing writes: {reason}."));
                continue;
            }

            bytes += operation.Cost.Bytes;
            admitted.Add(operation);
        }

        if (refusal is not null && !_refusing)
        {
            Log.RefusingWrites(_logger, refusal);
        }
        else if (refusal is null && _refusing && admitted.Count > 0)
        {
            Log.AcceptingWrites(_logger);
        }

        _refusing = refusal is not null;
        return admitted;
    }

    /// <summary>Synchronous on purpose: the transaction begins and ends on this thread with no await between.</summary>
    private void CommitBatch(List<WriteOperation> batch)
    {
        if (!TryCommit(batch))
        {
            return;
        }

        _compactPending |= _context.Compact;

        // Outside any LiteDB lock: handlers hand events to their own queues.
        foreach (var operation in batch)
        {
            _uncheckpointedBytes += operation.Cost.Bytes + PageBytes;
            operation.Committed(Publish);
        }
    }

    /// <summary>
    /// Applies and commits the batch with readers kept out (<see cref="EngineGate"/>); false when it failed, each
    /// operation then being failed or retried alone here.
    /// </summary>
    private bool TryCommit(List<WriteOperation> batch)
    {
        using var exclusive = _context.Database.Gate.Write();
        var db = _context.Database.Db;
        _context.Reset();
        try
        {
            db.BeginTrans();
            foreach (var operation in batch)
            {
                operation.Apply(_context);
            }

            db.Commit();
        }
        catch (Exception ex) when (IsDiskFault(ex))
        {
            // The disk refused LiteDB (ENOSPC between the free-space check and the write, or an I/O error):
            // nothing of this batch is confirmed in the log, so every client gets 451 and may retry without a
            // duplicate. The engine's cache is unusable after this (LiteDB 5.0.21 even closes itself on an
            // IOException), so it is replaced first: a client told 451 may read at once and must find the store open.
            Log.DiskFault(_logger, ex);
            TryReopen();
            FailBatch(batch, ex, rollBack: false);
            return false;
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            // One write LiteDB refuses must not fail the innocent ones batched with it (each would
            // get a 451): roll back, then commit every write in a transaction of its own.
            Log.BatchRetried(_logger, batch.Count, ex);
            RollBack();
            foreach (var operation in batch)
            {
                CommitBatch([operation]);
            }

            return false;
        }
        catch (Exception ex)
        {
            FailBatch(batch, ex);
            return false;
        }

        // Still inside the gate: a reader never sees the committed messages with counts or positions from before.
        try
        {
            _counters.Apply(_context);
        }
        catch (Exception ex) when (ex is LiteDB.LiteException or InvalidOperationException or FormatException)
        {
            Log.CountFailed(_logger, ex);
        }

        return true;
    }

    /// <summary>A page LiteDB writes besides the data of each write (index, collection, header): a rough floor.</summary>
    private const long PageBytes = 8192;

    /// <summary>
    /// Copies the log into the data file once it holds about as much as LiteDB's own threshold. Runs after the
    /// batch is committed and answered, so a failure here (a full disk again) costs no client a 451. Memory
    /// mode needs it as much: its log is a second MemoryStream that only a checkpoint empties.
    /// </summary>
    private void Checkpoint()
    {
        var logBytes = Math.Max(_uncheckpointedBytes, _context.Database.LogBytes());
        if (logBytes < CheckpointBytes || _guard.Refuse(logBytes) is not null)
        {
            return;
        }

        try
        {
            using (_context.Database.Gate.Write())
            {
                _context.Database.Db.Checkpoint();
            }

            _uncheckpointedBytes = 0;
        }
        catch (Exception ex) when (IsDiskFault(ex))
        {
            // The log is only cut after a complete copy, so the committed batches are still there; the copy
            // is tried again after the next batch. A fresh engine replays the log from the file.
            Log.DiskFault(_logger, ex);
            TryReopen();
        }
    }

    /// <summary>Replaces the engine; on failure the store stays closed and the run loop tries again each second.</summary>
    private bool TryReopen()
    {
        try
        {
            _context.Database.Reopen(afterFault: true);
            _counters.Recount(_context.Database);
            if (_engineFault is not null)
            {
                Log.Reopened(_logger);
            }

            _engineFault = null;
            return true;
        }
        catch (Exception ex) when (ex is LiteDB.LiteException or IOException or UnauthorizedAccessException)
        {
            if (_engineFault is null)
            {
                Log.ReopenFailed(_logger, ex);
            }

            _engineFault = $"the message store could not be reopened after a disk error ({ex.Message}); retrying every {ReopenInterval.TotalSeconds:0} s";
            return false;
        }
    }

    private static bool IsDiskFault(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is IOException or UnauthorizedAccessException)
            {
                return true;
            }
        }

        return false;
    }

    private static void Refuse(List<WriteOperation> batch, string reason)
    {
        var error = new StoreUnavailableException($"The message store is refusing writes: {reason}.");
        foreach (var operation in batch)
        {
            operation.Fail(error);
        }
    }

    private void FailBatch(List<WriteOperation> batch, Exception ex, bool rollBack = true)
    {
        Log.BatchFailed(_logger, batch.Count, ex);
        if (rollBack)
        {
            RollBack();
        }

        var error = new StoreUnavailableException($"The message store could not commit: {ex.Message}", ex);
        foreach (var operation in batch)
        {
            operation.Fail(error);
        }
    }

    private void RollBack()
    {
        try
        {
            _context.Database.Db.Rollback();
            _counters.Recount(_context.Database);
        }
        catch (Exception rollbackError)
        {
            Log.RollbackFailed(_logger, rollbackError);
        }
    }

    private void Publish(MailboxEvent e)
    {
        try
        {
            _events.Publish(e);
        }
        catch (Exception ex)
        {
            // A faulty listener must not stop the writer or fail a write that is already committed.
            Log.PublishFailed(_logger, e.GetType().Name, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(3001, LogLevel.Error, "Storage batch of {Count} writes failed and was rolled back")]
        public static partial void BatchFailed(ILogger logger, int count, Exception exception);

        [LoggerMessage(3002, LogLevel.Error, "Storage rollback or recount after a failed batch failed")]
        public static partial void RollbackFailed(ILogger logger, Exception exception);

        [LoggerMessage(3003, LogLevel.Warning, "A {EventType} listener threw")]
        public static partial void PublishFailed(ILogger logger, string eventType, Exception exception);

        [LoggerMessage(3005, LogLevel.Warning, "Storage batch of {Count} writes failed; retrying each write on its own")]
        public static partial void BatchRetried(ILogger logger, int count, Exception exception);

        [LoggerMessage(3004, LogLevel.Warning, "Storage counters could not be refreshed after a commit")]
        public static partial void CountFailed(ILogger logger, Exception exception);

        [LoggerMessage(3006, LogLevel.Warning, "Storage is refusing new mail with 451 until space is free: {Reason}")]
        public static partial void RefusingWrites(ILogger logger, string reason);

        [LoggerMessage(3007, LogLevel.Information, "Storage has space again and is accepting mail")]
        public static partial void AcceptingWrites(ILogger logger);

        [LoggerMessage(3008, LogLevel.Error, "Storage hit a disk error; reopening the database")]
        public static partial void DiskFault(ILogger logger, Exception exception);

        [LoggerMessage(3009, LogLevel.Error, "Storage could not be reopened; retrying every second")]
        public static partial void ReopenFailed(ILogger logger, Exception exception);

        [LoggerMessage(3015, LogLevel.Information, "Storage compacted after a delete-all: {Before} bytes before, {After} after")]
        public static partial void Compacted(ILogger logger, long before, long after);

        [LoggerMessage(3016, LogLevel.Warning, "Storage could not be compacted after a delete-all")]
        public static partial void CompactFailed(ILogger logger, Exception exception);

        [LoggerMessage(3012, LogLevel.Information, "Storage reopened after a disk error")]
        public static partial void Reopened(ILogger logger);
    }
}
