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
    public string? RefusalReason() => RefusalReason(0);

    /// <summary>Why a write of <paramref name="bytes"/> more would be refused right now, or null.</summary>
    public string? RefusalReason(long bytes) => _engineFault ?? _guard.Refuse(bytes);

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
            else if (_held.Count > 0 && !waiting.IsCompleted && !await NextWriteWithinHoldAsync(waiting).ConfigureAwait(false))
            {
                CommitHeld(batch);
                continue;
            }

            var more = await waiting.ConfigureAwait(false);
            waiting = null;
            if (!more)
            {
                // Shutting down: what was held commits before the writer ends.
                CommitHeld(batch);
                return;
            }

            // Held writes were queued before anything read now, so they go first into the batch.
            var heldSince = TakeHeld(batch);
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

            if (alone is null && MayHold(batch, heldSince))
            {
                Hold(batch, heldSince);
                continue;
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

        _context.Database.KnownSubjectWords.Committed(_context.RecordedSubjectWords);
        _context.Database.Vocabulary.Committed(_context.RecordedSubjectWords);

        // Only now, and before readers are let in: a large message's bytes are registered once the commit that
        // references them is in, and deleted once the commit that drops the message is, never before (LargeRaws).
        var files = _context.Database.Files;
        foreach (var (id, length, kept) in _context.FilesAdded)
        {
            files.Committed(id, length, kept);
        }

        files.Remove(_context.FilesRemoved);

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
}
