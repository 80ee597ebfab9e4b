using MailSink.Domain;

namespace MailSink.Storage;

/// <summary>One change waiting in the write queue: applied inside a batch transaction, then completed.</summary>
internal abstract class WriteOperation(WriteCost cost)
{
    /// <summary>What the write adds to the file, for the free-space check before the batch runs.</summary>
    public WriteCost Cost => cost;

    /// <summary>
    /// Background work (a retention turn) committed in a transaction of its own, so the writes queued ahead of it
    /// are answered without waiting for it and those behind it wait for it alone.
    /// </summary>
    public bool RunsAlone { get; init; }

    /// <summary>
    /// Nobody waits on this write to answer a client (a session's final save), so the writer may hold it briefly and
    /// commit it with the next write (<see cref="MessageWriteQueue.HoldFor"/>).
    /// </summary>
    public bool MayWait { get; init; }

    /// <summary>The caller gave up before the batch ran: skip it rather than store what nobody waits for.</summary>
    public abstract bool IsCancelled { get; }

    /// <summary>Runs inside the batch transaction, on the writer thread. Must not await.</summary>
    public abstract void Apply(WriteContext context);

    /// <summary>The batch committed: publish this operation's events, then complete its task.</summary>
    public abstract void Committed(Action<MailboxEvent> publish);

    public abstract void Fail(Exception error);

    public abstract void Cancel();
}

/// <summary>A write with a result; events are collected during Apply and published only after commit.</summary>
internal sealed class WriteOperation<T>(
    Func<WriteContext, List<MailboxEvent>, T> apply, WriteCost cost, CancellationToken cancellationToken) : WriteOperation(cost)
{
    // Continuations run on the pool, never inline on the writer thread (which would stall the queue).
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<MailboxEvent> _events = [];
    private T? _result;

    public Task<T> Task => _completion.Task;

    public override bool IsCancelled => cancellationToken.IsCancellationRequested;

    public override void Apply(WriteContext context)
    {
        _events.Clear();
        _result = apply(context, _events);
    }

    public override void Committed(Action<MailboxEvent> publish)
    {
        foreach (var e in _events)
        {
            publish(e);
        }

        _completion.TrySetResult(_result!);
    }

    public override void Fail(Exception error) => _completion.TrySetException(error);

    public override void Cancel() => _completion.TrySetCanceled(cancellationToken);
}

/// <summary>
/// How a write changes the size of the store. Deletes still run on a full disk (they are how space is made);
/// everything else needs its bytes plus <see cref="DiskSpaceGuard.Reserve"/> free.
/// </summary>
internal readonly record struct WriteCost(long Bytes, bool FreesSpace)
{
    public static WriteCost Small { get; } = new(0, false);

    public static WriteCost Frees { get; } = new(0, true);

    public static WriteCost Grows(long bytes) => new(bytes, false);
}
