using System.Threading.Channels;
using MailSink.Domain;
using Microsoft.Extensions.Logging;

namespace MailSink.Storage;

/// <summary>
/// The single writer. LiteDB locks are bound to the calling thread, so every change is applied by
/// one loop that drains a bounded channel and commits up to a batch of operations per transaction
/// (~1,900 msg/s one per transaction vs ~5,900 msg/s batched, FIELD-NOTES). The channel is bounded
/// so a flood of senders waits instead of growing memory without limit.
/// </summary>
internal sealed partial class MessageWriteQueue : IAsyncDisposable
{
    private readonly Channel<WriteOperation> _channel;
    private readonly WriteContext _context;
    private readonly StoreCounters _counters;
    private readonly MailboxEvents _events;
    private readonly ILogger _logger;
    private readonly int _batchSize;
    private readonly Task _writer;

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
        _writer = Task.Run(RunAsync);
    }

    /// <summary>Queues a change and completes once the batch holding it has committed.</summary>
    public async Task<T> EnqueueAsync<T>(
        Func<WriteContext, List<MailboxEvent>, T> apply, CancellationToken cancellationToken)
    {
        var operation = new WriteOperation<T>(apply, cancellationToken);
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
        while (await _channel.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _batchSize && _channel.Reader.TryRead(out var operation))
            {
                if (operation.IsCancelled)
                {
                    operation.Cancel();
                }
                else
                {
                    batch.Add(operation);
                }
            }

            if (batch.Count > 0)
            {
                CommitBatch(batch);
                batch.Clear();
            }
        }
    }

    /// <summary>Synchronous on purpose: the transaction begins and ends on this thread with no await between.</summary>
    private void CommitBatch(List<WriteOperation> batch)
    {
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

            return;
        }
        catch (Exception ex)
        {
            FailBatch(batch, ex);
            return;
        }

        try
        {
            _counters.Apply(_context);
        }
        catch (Exception ex)
        {
            Log.CountFailed(_logger, ex);
        }

        // Outside any LiteDB lock: handlers hand events to their own queues.
        foreach (var operation in batch)
        {
            operation.Committed(Publish);
        }
    }

    private void FailBatch(List<WriteOperation> batch, Exception ex)
    {
        Log.BatchFailed(_logger, batch.Count, ex);
        RollBack();

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
    }
}
