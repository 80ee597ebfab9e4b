using System.Diagnostics;
using MailSink.Domain;

namespace MailSink.Storage;

/// <summary>
/// Writes nobody is waiting on (<see cref="WriteOperation.MayWait"/>: a session's final save) are held for a moment and
/// committed with the next write a client waits for. Under smtp-source every connection queued a message and, after
/// its QUIT, the session's final save: 3,200 messages took 2,161 commits of ~3 writes each, and a commit's fixed cost
/// (header, collection and index pages written to the log, the writer's wake-up) was paid for writes no client needed
/// yet. Order is kept: held writes go first into the next batch, and a write that must run alone waits for them.
/// </summary>
internal sealed partial class MessageWriteQueue
{
    /// <summary>
    /// How long a write may be held. Long enough for the next message under load (one arrives every ~0.5 ms at
    /// 2,000 msg/s), short enough that a session's close shows in the inbox at once.
    /// </summary>
    internal static readonly TimeSpan HoldFor = TimeSpan.FromMilliseconds(5);

    private readonly List<WriteOperation> _held = [];
    private long _heldSince;

    /// <summary>
    /// Queues a write nobody is waiting on to answer a client (a session's final save): it may be held for up to
    /// <see cref="HoldFor"/> and committed with the next write that somebody waits for (see <see cref="WriteOperation.MayWait"/>).
    /// </summary>
    public Task<T> EnqueueUnhurriedAsync<T>(
        Func<WriteContext, List<MailboxEvent>, T> apply, CancellationToken cancellationToken) =>
        EnqueueAsync(new WriteOperation<T>(apply, WriteCost.Small, cancellationToken) { MayWait = true }, cancellationToken);

    /// <summary>
    /// Whether the next write arrives while the held ones may still wait. Real time, not the queue's TimeProvider: this
    /// is when to commit, not what a client sees, and a test's frozen clock must not hold a save for ever.
    /// </summary>
    private async Task<bool> NextWriteWithinHoldAsync(Task<bool> waiting)
    {
        var left = HoldFor - Stopwatch.GetElapsedTime(_heldSince);
        return left > TimeSpan.Zero && await Task.WhenAny(waiting, Task.Delay(left)).ConfigureAwait(false) == waiting;
    }

    /// <summary>Moves the held writes to the front of <paramref name="batch"/>; returns since when the oldest waits.</summary>
    private long TakeHeld(List<WriteOperation> batch)
    {
        var since = _held.Count > 0 ? _heldSince : Stopwatch.GetTimestamp();
        batch.AddRange(_held);
        _held.Clear();
        return since;
    }

    /// <summary>A batch of writes that may all wait, with room for more and time left, waits for company.</summary>
    private bool MayHold(List<WriteOperation> batch, long since) =>
        batch.Count > 0 && batch.Count < _batchSize && _engineFault is null
        && batch.TrueForAll(operation => operation.MayWait) && Stopwatch.GetElapsedTime(since) < HoldFor;

    private void Hold(List<WriteOperation> batch, long since)
    {
        _held.AddRange(batch);
        _heldSince = since;
        batch.Clear();
    }

    private void CommitHeld(List<WriteOperation> batch)
    {
        TakeHeld(batch);
        if (batch.Count > 0)
        {
            RunBatch(batch);
            batch.Clear();
        }
    }
}
