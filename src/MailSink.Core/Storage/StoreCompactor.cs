using LiteDB;

namespace MailSink.Storage;

/// <summary>
/// Gives disk and memory back. LiteDB never shrinks its file (free pages are only reused), and its
/// <c>Rebuild()</c> fails with "Detected loop in FindAll" on collections with a secondary index beyond
/// ~2,550 documents (LiteDB issues 2525, 2582, 2827; seen here at 3,000 live of 30,000), so the store is
/// compacted by copying the live documents into a fresh file and renaming it over the old one: a crash leaves
/// either the old file or the complete new one. Runs with nothing else writing: at start-up, or on the writer.
/// </summary>
internal static class StoreCompactor
{
    /// <summary>Smaller files are left alone at start-up: the copy would gain little.</summary>
    public const long StartupMinimumBytes = 16 * 1024 * 1024;

    /// <summary>Bytes copied per transaction, so a large store never sits in one transaction.</summary>
    private const long CopyTransactionBytes = 32 * 1024 * 1024;

    private const int PageSize = 8192;

    private static readonly string[] Collections = [StoreKeys.Messages, StoreKeys.Raw, StoreKeys.Sessions, SubjectWords.Collection, CompressionDictionaries.Collection];

    /// <summary>
    /// At start-up: compacts a file of at least <see cref="StartupMinimumBytes"/> whose pages are mostly empty
    /// (after deletes, retention, or a file from a version that did not compact). Returns the sizes before and
    /// after, or null when it was not worth it or did not fit on the disk.
    /// </summary>
    public static (long Before, long After)? CompactIfMostlyFree(MailDatabase database)
    {
        if (database.FilePath is not { } path || new FileInfo(path).Length < StartupMinimumBytes)
        {
            return null;
        }

        // $page_list reads every page of the file (1.9 s of a 2 s start-up at 100,000 messages): first count the
        // empty pages from the file's free list, which costs one read per empty page, and only when they could
        // be the majority pay for LiteDB's exact count.
        if (EmptyPagesOnDisk(path) is { } onDisk && onDisk.Empty <= onDisk.Total - onDisk.Empty)
        {
            return null;
        }

        var (empty, used) = CountPages(database.Db);
        var liveBytes = (long)used * PageSize;
        // Refuse(n) wants the reserve plus 2n free; the copy needs the live pages once.
        if (empty <= used || new DiskSpaceGuard(database.Folder).Refuse(liveBytes / 2) is not null)
        {
            return null;
        }

        return Compact(database);
    }

    /// <summary>
    /// After a delete-all: a memory store drops its streams when nothing is left, a file store is copied (what
    /// is left is at most a batch that came after the delete) into a fresh file. Returns the sizes before and after.
    /// </summary>
    public static (long Before, long After)? CompactAfterDeleteAll(MailDatabase database)
    {
        if (database.MemoryStreams is { } memory)
        {
            // The subject-word vocabulary and the dictionaries do not count: they are never emptied and hold no mail.
            if (Collections.Except([SubjectWords.Collection, CompressionDictionaries.Collection]).Any(c => database.Db.GetCollection(c).LongCount() > 0))
            {
                return null;
            }

            var before = Allocated(memory.Data) + Allocated(memory.Log);
            database.Reopen(() =>
            {
                // An empty stream becomes a new empty database when the engine opens; cutting a chunked stream drops
                // its chunks, and Capacity = 0 frees a MemoryStream's buffer.
                foreach (var stream in new[] { memory.Data, memory.Log })
                {
                    stream.SetLength(0);
                    if (stream is MemoryStream array)
                    {
                        array.Capacity = 0;
                    }
                    else if (stream is ChunkedMemoryStream chunked)
                    {
                        chunked.ReleaseSpareChunks();
                    }
                }
            });
            return (before, memory.Data.Length + memory.Log.Length);
        }

        return database.FilePath is null ? null : Compact(database);
    }

    private static long Allocated(Stream stream) => stream switch
    {
        CompressedPageStream pages => pages.AllocatedBytes,
        ChunkedMemoryStream chunked => chunked.AllocatedBytes,
        MemoryStream array => array.Capacity,
        _ => stream.Length,
    };

    private static (long Before, long After) Compact(MailDatabase database)
    {
        var path = database.FilePath!;
        var copy = path + ".compact";
        DeleteWithLog(copy);

        var source = database.Db;

        // Everything committed into the data file first, so the old log can be dropped with the old file.
        source.Checkpoint();
        var before = new FileInfo(path).Length;
        using (var target = new LiteDatabase(new ConnectionString { Filename = copy, Connection = ConnectionType.Direct }, database.Documents.Mapper))
        {
            MailDatabase.EnsureIndexes(target);
            foreach (var name in Collections)
            {
                var copied = CopyCollection(source.GetCollection(name), target);
                var expected = source.GetCollection(name).LongCount();
                if (copied != expected)
                {
                    throw new InvalidDataException($"Compaction copied {copied} of {expected} documents of '{name}'; the original file is kept.");
                }
            }

            target.Checkpoint();
        }

        database.Reopen(() =>
        {
            var log = MailDatabase.LogPath(path);
            if (File.Exists(log) && new FileInfo(log).Length > 0)
            {
                // Pages in the old log would be replayed into the new file at the next open: keep the old file.
                File.Delete(copy);
                throw new IOException($"LiteDB's log '{log}' was not empty after the checkpoint; the store was not compacted.");
            }

            File.Delete(log);
            File.Move(copy, path, overwrite: true);
        });
        return (before, new FileInfo(path).Length);
    }

    /// <summary>
    /// The old engine's page cache (every page the copy or the page count read) is garbage once a compaction has
    /// returned. Compactions are rare and asked for: the one place where a blocking, compacting, decommitting GC
    /// is worth its pause (without it RSS stayed at 270 MB after compacting a 168 MB file at start-up, with 2 MB
    /// live). Called by the caller of a compaction, not inside it: an unoptimised (Debug) frame keeps its
    /// temporaries, the old engine among them, alive until it returns.
    /// </summary>
    public static void GiveMemoryBack()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        MemoryGiveBack.TrimNative();
    }

    private static long CopyCollection(ILiteCollection<BsonDocument> from, LiteDatabase target)
    {
        var to = target.GetCollection(from.Name);
        long count = 0;
        long bytes = 0;
        target.BeginTrans();
        foreach (var doc in from.FindAll())
        {
            to.Insert(doc);
            count++;
            bytes += EstimatedBytes(doc);
            if (bytes >= CopyTransactionBytes)
            {
                target.Commit();
                target.BeginTrans();
                bytes = 0;
            }
        }

        target.Commit();
        return count;
    }

    /// <summary>Raw chunks carry their bytes in "d" (up to 1 MB); summaries and sessions are a few KB.</summary>
    private static long EstimatedBytes(BsonDocument doc) =>
        doc.TryGetValue("d", out var data) && data.IsBinary ? data.AsBinary.Length : 4096;

    /// <summary>Empty pages and the others, from LiteDB's own page list (about a second per 250 MB of file).</summary>
    private static (int Empty, int Used) CountPages(LiteDatabase db)
    {
        int empty = 0, used = 0;
        using var reader = db.Execute("SELECT pageType FROM $page_list");
        while (reader.Read())
        {
            if (reader.Current["pageType"].AsString == "Empty")
            {
                empty++;
            }
            else
            {
                used++;
            }
        }

        return (empty, used);
    }

    /// <summary>
    /// Empty pages and all pages of the data file as of its last checkpoint, by following LiteDB 5's free-page
    /// list: the header page holds the first empty page's id at byte 60 and the last page id at 64; each page
    /// holds the next one's id at byte 9. Null when the log holds pages not yet checkpointed (after a crash) or
    /// the file does not read as expected: the caller then counts with LiteDB.
    /// </summary>
    private static (long Empty, long Total)? EmptyPagesOnDisk(string path)
    {
        const int FreeEmptyPageOffset = 60, LastPageOffset = 64, NextPageOffset = 9;
        try
        {
            var log = new FileInfo(MailDatabase.LogPath(path));
            if (log.Exists && log.Length > 0)
            {
                return null;
            }

            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var total = RandomAccess.GetLength(file) / PageSize;
            var id = new byte[4];
            uint ReadId(long position) =>
                RandomAccess.Read(file, id, position) == 4 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(id) : uint.MaxValue;

            var last = ReadId(LastPageOffset);
            if (last == uint.MaxValue || last + 1 > total)
            {
                return null;
            }

            long empty = 0;
            for (var page = ReadId(FreeEmptyPageOffset); page != uint.MaxValue; page = ReadId((long)page * PageSize + NextPageOffset))
            {
                if (page == 0 || page > last || ++empty > total)
                {
                    return null; // Not a free list as expected (or a loop): let LiteDB count.
                }
            }

            return (empty, last + 1);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void DeleteWithLog(string path)
    {
        File.Delete(path);
        File.Delete(MailDatabase.LogPath(path));
    }
}
