using MailSink.Domain;

namespace MailSink.Storage;

/// <summary>
/// A file store's large messages (<see cref="LargeRaws"/>): one file each in a folder beside the LiteDB file, named
/// from the message id alone (never from content), written and fsynced with its folder before the commit that
/// references it, deleted after the commit that removes the message. A file whose commit never came (a crash between
/// the two, a refused write) is an orphan, removed when the store opens (<see cref="RemoveOrphans"/>).
/// </summary>
internal sealed class RawFiles(string folder) : LargeRaws
{
    private const string Extension = ".eml";
    private const string Partial = ".tmp";

    /// <summary>Where the files are: beside the database file, named after it ("mailsink-raw" for "mailsink.db").</summary>
    public string Folder { get; } = folder;

    /// <summary>The folder for the database at <paramref name="databasePath"/>.</summary>
    public static string FolderFor(string databasePath) => Path.Combine(
        Path.GetDirectoryName(databasePath)!, Path.GetFileNameWithoutExtension(databasePath) + "-raw");

    /// <summary>
    /// Writes the file of <paramref name="id"/> and makes it and its name durable (fsync of the file, then of the
    /// folder) before the caller lets the commit that references it go ahead. Replaces a file of the same id
    /// atomically (a reader keeps the old one open). Throws <see cref="IOException"/> when the disk refuses.
    /// </summary>
    public override async Task<byte[]?> WriteAsync(string id, ReadOnlyMemory<byte> raw, byte[]? owned, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var path = PathOf(id);
        var partial = path + Partial;
        try
        {
            using (var handle = File.OpenHandle(partial, FileMode.Create, FileAccess.Write, FileShare.None, FileOptions.Asynchronous, raw.Length))
            {
                await RandomAccess.WriteAsync(handle, raw, 0, cancellationToken).ConfigureAwait(false);
                RandomAccess.FlushToDisk(handle);
            }

            File.Move(partial, path, overwrite: true);
            DirectorySync.Flush(Folder);
            return null;
        }
        catch
        {
            TryDelete(partial);
            throw;
        }
    }

    /// <summary>
    /// The file for reading, or null when it is gone (deleted after the caller found the message). Shared for delete:
    /// a message deleted while a view streams it loses its name at once and its bytes when the view closes.
    /// </summary>
    public override Stream? Open(string id)
    {
        try
        {
            return new FileStream(PathOf(id), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.None);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Deletes every file in the folder that no committed message references (<paramref name="isReferenced"/>), and
    /// partial files; remembers the others. Run when the store opens, before any write.
    /// </summary>
    public int RemoveOrphans(Func<string, long?> isReferenced)
    {
        Forget();
        if (!Directory.Exists(Folder))
        {
            return 0;
        }

        var removed = 0;
        foreach (var path in Directory.EnumerateFiles(Folder))
        {
            var name = Path.GetFileName(path);
            var id = name.EndsWith(Extension, StringComparison.Ordinal) ? name[..^Extension.Length] : null;
            if (id is not null && MessageIdGenerator.IsWellFormed(id) && isReferenced(id) is not null)
            {
                // Kept even if its length disagrees with the document's: a damaged message is still worth a look.
                Remember(id, new FileInfo(path).Length);
                continue;
            }

            TryDelete(path);
            removed++;
        }

        return removed;
    }

    private string PathOf(string id) =>
        MessageIdGenerator.IsWellFormed(id)
            ? Path.Combine(Folder, id + Extension)
            : throw new ArgumentException("Not a message id.", nameof(id));

    protected override void Drop(string id) => TryDelete(PathOf(id));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the orphan sweep at the next start-up.
        }
    }
}
