using System.Collections.Concurrent;
using MailSink.Domain;

namespace MailSink.Storage;

/// <summary>
/// Raw bytes of large messages, one file each in a folder beside the LiteDB file, kept as sent (issue 12). In LiteDB a
/// 25 MB message went through its transaction pages (which grow the engine's cache for good) and every view read and
/// decompressed it whole; a file is written from the caller's buffer and read as a seekable stream, so MimeKit binds
/// part contents to it and the raw view streams it. The LiteDB document of such a message is a marker
/// (<see cref="RawChunks.InsertFileMarker"/>).
/// A file is named from the message id alone (never from content), written and fsynced with its folder before the
/// commit that references it, deleted after the commit that removes the message. A file whose commit never came (a
/// crash between the two, a refused write) is an orphan, removed when the store opens (<see cref="RemoveOrphans"/>).
/// </summary>
internal sealed class RawFiles
{
    /// <summary>
    /// From this size on a message's raw bytes go to a file. Below it LiteDB's chunks and zstd are cheaper than a file
    /// and its two fsyncs, and a view's copy of the message is small.
    /// </summary>
    public const int Threshold = 1024 * 1024;

    private const string Extension = ".eml";
    private const string Partial = ".tmp";

    /// <summary>Committed files: id to length. Changed by the writer after commits, read by anyone.</summary>
    private readonly ConcurrentDictionary<string, long> _committed = new(StringComparer.Ordinal);

    public RawFiles(string folder)
    {
        Folder = folder;
    }

    /// <summary>Where the files are: "raw" beside the database file ("mailsink-raw" for "mailsink.db").</summary>
    public string Folder { get; }

    /// <summary>Bytes in committed files.</summary>
    public long TotalBytes => _committed.Values.Sum();

    /// <summary>The folder for the database at <paramref name="databasePath"/>.</summary>
    public static string FolderFor(string databasePath) => Path.Combine(
        Path.GetDirectoryName(databasePath)!, Path.GetFileNameWithoutExtension(databasePath) + "-raw");

    /// <summary>Whether a message goes to a file: large, and an id that is safe as a file name (every generated one).</summary>
    public static bool Takes(string id, int length) => length >= Threshold && MessageIdGenerator.IsWellFormed(id);

    public bool Has(string id) => _committed.ContainsKey(id);

    /// <summary>
    /// Writes the file of <paramref name="id"/> and makes it and its name durable (fsync of the file, then of the
    /// folder) before the caller lets the commit that references it go ahead. Replaces a file of the same id
    /// atomically (a reader keeps the old one open). Throws <see cref="IOException"/> when the disk refuses.
    /// </summary>
    public async Task WriteAsync(string id, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken)
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
        }
        catch
        {
            TryDelete(partial);
            throw;
        }
    }

    /// <summary>
    /// A written file whose commit did not happen (the store refused the write): deleted now rather than at the next
    /// start-up. A committed file of the same id (a replaced message) is left alone.
    /// </summary>
    public void Discard(string id)
    {
        if (!Has(id))
        {
            TryDelete(PathOf(id));
        }
    }

    /// <summary>The commit referencing <paramref name="id"/>'s file went through (writer thread).</summary>
    public void Committed(string id, long length) => _committed[id] = length;

    /// <summary>
    /// The file for reading, or null when it is gone (deleted after the caller found the message). Shared for delete:
    /// a message deleted while a view streams it loses its name at once and its bytes when the view closes.
    /// </summary>
    public FileStream? Open(string id)
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

    /// <summary>The committed ids right now (a delete-all removes these once it has committed).</summary>
    public List<string> CommittedIds() => [.. _committed.Keys];

    /// <summary>Deletes the files of messages whose removal has committed. A file that cannot go is left to the next start-up.</summary>
    public void Remove(IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            if (_committed.TryRemove(id, out _))
            {
                TryDelete(PathOf(id));
            }
        }
    }

    /// <summary>
    /// Deletes every file in the folder that no committed message references (<paramref name="isReferenced"/>), and
    /// partial files; remembers the others. Run when the store opens, before any write.
    /// </summary>
    public int RemoveOrphans(Func<string, long?> isReferenced)
    {
        _committed.Clear();
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
                _committed[id] = new FileInfo(path).Length;
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
