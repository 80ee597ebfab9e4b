using MailSink.Domain;

namespace MailSink.Storage;

/// <summary>Large messages, whose raw bytes are kept outside LiteDB (<see cref="LargeRaws"/>).</summary>
internal sealed partial class LiteDbMailStore
{
    /// <summary>
    /// Writes the file from the caller's buffer (no copy of the message), fsynced, before the write that references it
    /// is queued; a write the store refuses takes its file with it. A cancelled wait leaves the file: the write may
    /// still commit, and if it does not, the file is an orphan for the next start-up. In memory the array handed over
    /// is kept as it is.
    /// </summary>
    private async Task AddLargeMessageAsync(
        MessageSummary summary, ReadOnlyMemory<byte> raw, byte[]? owned, SessionRecord? session, CancellationToken cancellationToken)
    {
        var files = _database.Files;
        if (_writes.RefusalReason(raw.Length) is { } reason)
        {
            throw new StoreUnavailableException($"The message store is refusing writes: {reason}.");
        }

        byte[]? kept;
        try
        {
            kept = await files.WriteAsync(summary.Id, raw, owned, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The folder's fsync may fail after the file got its name: no commit will reference it.
            files.Discard(summary.Id);
            throw new StoreUnavailableException($"The message's file could not be written: {ex.Message}", ex);
        }

        var length = raw.Length;
        try
        {
            await _writes.EnqueueAsync(
                (context, events) =>
                {
                    MailMutations.AddMessageInFile(context, summary, length, kept);
                    if (session is not null)
                    {
                        MailMutations.SaveSession(context, session);
                    }

                    events.Add(new MessageStored(summary));
                    return true;
                },
                WriteCost.Small,
                cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException)
        {
            files.Discard(summary.Id);
            throw;
        }
    }

    /// <summary>Files no committed message references: a crash between a file's fsync and its commit, or a refused write.</summary>
    private static void RemoveOrphanFiles(MailDatabase database, ILogger logger)
    {
        if (database.Files is not RawFiles files)
        {
            return;
        }

        var removed = files.RemoveOrphans(id => RawChunks.FileLength(database.Raw, id));
        if (removed > 0)
        {
            Log.OrphanFilesRemoved(logger, removed, files.Folder);
        }
    }
}
