using Microsoft.Extensions.Logging;

namespace MailSink.Storage;

/// <summary>
/// What the writer does when LiteDB or the disk fails: reopening the engine, refusing or failing the batch with a
/// reason each client is answered with (451), rolling back, and the log lines that say so.
/// </summary>
internal sealed partial class MessageWriteQueue
{
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

            // A dictionary made current by the rolled-back transaction is not in the file: back to what is.
            _context.Database.Documents.Dictionaries.Load(_context.Database.Db);
            _counters.Recount(_context.Database);
        }
        catch (Exception rollbackError)
        {
            Log.RollbackFailed(_logger, rollbackError);
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
