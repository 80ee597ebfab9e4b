namespace MailSink.Storage;

/// <summary>The writer's upkeep between batches: the log's checkpoint and the compaction after a delete-all.</summary>
internal sealed partial class MessageWriteQueue
{
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
}
