using LiteDB;
using LiteDB.Engine;
using MailSink.Options;

namespace MailSink.Storage;

/// <summary>
/// The one LiteDatabase of the process (Connection=direct: shared mode reopens the engine per
/// operation and has open threading bugs), its collections and indexes.
/// </summary>
internal sealed class MailDatabase : IDisposable
{
    private readonly Stream? _memory;
    private Stream? _log;
    private readonly string? _path;
    private readonly DatabaseLock? _lock;
    private readonly Func<LiteDatabase> _openEngine;
    private volatile Engine _engine;
    private int _generation;

    private MailDatabase(Func<LiteDatabase> openEngine, MailDocuments documents, Stream? memory, string? path, DatabaseLock? fileLock = null)
    {
        Files = path is null ? new RawArrays() : new RawFiles(RawFiles.FolderFor(path));
        _lock = fileLock;
        _openEngine = openEngine;
        Documents = documents;
        _memory = memory;
        _path = path;
        _engine = OpenEngine();
        EnsureIndexes();

        // Reads are capped from here on, the writer lifts the cap while it holds the gate (LiteDbTransactionBudget);
        // the start-up writes above (index changes of an older file among them) ran under LiteDB's own budget.
        Gate = new EngineGate(() => _engine.Budget.ForWrites(), () => _engine.Budget.ForReads());
        _engine.Budget.ForReads();
    }

    public LiteDatabase Db => _engine.Db;

    /// <summary>Readers share it, the writer holds it alone while it changes the engine (see <see cref="EngineGate"/>).</summary>
    public EngineGate Gate { get; }

    public MailDocuments Documents { get; }

    /// <summary>Where large messages' raw bytes are kept: files beside a database file, arrays for one in memory.</summary>
    public LargeRaws Files { get; }

    /// <summary>Subject words known to be in this engine's vocabulary (writer only; emptied when the engine opens).</summary>
    public KnownWords KnownSubjectWords { get; } = new();

    /// <summary>The vocabulary's spellings in memory for searches (emptied when the engine opens).</summary>
    public VocabularyMirror Vocabulary { get; } = new();

    /// <summary>An id no stored message's id sorts above (writer only; read again when the engine opens).</summary>
    public IdCeiling MessageIds { get; } = new();

    /// <summary>The same for sessions, whose ids come from the same generator.</summary>
    public IdCeiling SessionIds { get; } = new();

    public ILiteCollection<BsonDocument> Messages => _engine.Messages;

    public ILiteCollection<BsonDocument> Raw => _engine.Raw;

    public ILiteCollection<BsonDocument> Sessions => _engine.Sessions;

    /// <summary>Every decoded-subject word seen (see <see cref="SubjectWords"/>).</summary>
    public ILiteCollection<BsonDocument> SubjectWords => _engine.SubjectWords;

    /// <summary>
    /// Changes when a reopen starts (odd while it runs) and when it ends: a read that failed while it changed ran
    /// into the engine being replaced and is worth a retry on the new one.
    /// </summary>
    public int Generation => Volatile.Read(ref _generation);

    public bool IsReopening => (Generation & 1) == 1;

    /// <summary>The folder holding the file (null in memory): where free space is measured.</summary>
    public string? Folder => _path is null ? null : System.IO.Path.GetDirectoryName(_path);

    /// <summary>
    /// Closes the engine and opens a new one on the same file or stream. After an I/O error (ENOSPC) LiteDB
    /// 5.0.21 keeps half-written pages in its cache and answers every later write with "page must be writable
    /// to support changes" until the process restarts; a fresh engine rebuilds its state from the file, where
    /// only confirmed transactions count. <paramref name="whileClosed"/> runs with no engine open (the compactor
    /// swaps the file there); if it throws, the engine is still reopened and the exception goes to the caller.
    /// Writer thread only. Throws if the file cannot be opened; the old engine is closed either way.
    /// </summary>
    /// <param name="whileClosed">Runs with no engine open (the compactor swaps the file there).</param>
    /// <param name="afterFault">The engine failed an I/O operation: it is closed as far as it goes, then kept (see <see cref="FaultedEngines"/>).</param>
    public void Reopen(Action? whileClosed = null, bool afterFault = false)
    {
        using var exclusive = Gate.Write();
        Interlocked.Increment(ref _generation);
        try
        {
            var old = _engine.Db;
            try
            {
                old.Dispose();
            }
            catch (Exception ex) when (ex is LiteException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // Closing a faulted engine may fail again on the same disk; the file is reopened below regardless.
                afterFault = true;
            }

            if (afterFault)
            {
                FaultedEngines.Keep(old);
            }

            try
            {
                whileClosed?.Invoke();
            }
            finally
            {
                _engine = OpenEngine();
            }
        }
        finally
        {
            Interlocked.Increment(ref _generation);
        }
    }

    /// <summary>The LiteDB file (null in memory).</summary>
    public string? FilePath => _path;

    /// <summary>The data and log streams of a memory database (which a delete-all may empty), or null for a file.</summary>
    public (Stream Data, Stream Log)? MemoryStreams =>
        IsMemory(_memory) && IsMemory(_log) ? (_memory!, _log!) : null;

    private static bool IsMemory(Stream? stream) => stream is CompressedPageStream or ChunkedMemoryStream or MemoryStream;

    /// <summary>Twice the log's size at a checkpoint, in chunks: a batch may run past the threshold.</summary>
    private const int LogSpareChunks = (int)(2 * MessageWriteQueue.CheckpointBytes / ChunkedMemoryStream.ChunkSize);

    public static MailDatabase Open(DataDirectory data)
    {
        var documents = new MailDocuments(StoreMapper.Create());
        if (data.DatabasePath is not { } path)
        {
            // The data keeps its pages compressed (a third of their size); the log is cut after every checkpoint
            // (MessageWriteQueue.CheckpointBytes) and fills again: it keeps its chunks.
            return OpenStream(new CompressedPageStream(), documents, new ChunkedMemoryStream(LogSpareChunks));
        }

        DataDirectory.Ensure(System.IO.Path.GetDirectoryName(path)!, "Storage:Path (--storage)");
        DatabaseLock fileLock;
        try
        {
            fileLock = DatabaseLock.Acquire(path, TimeSpan.FromSeconds(15));
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new DataPathException($"cannot write beside the database {path}: {ex.Message}", ex);
        }

        try
        {
            var connection = new ConnectionString { Filename = path, Connection = ConnectionType.Direct };
            return new MailDatabase(() => new LiteDatabase(connection, documents.Mapper), documents, null, path, fileLock);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            fileLock.Dispose();
            throw new DataPathException($"cannot open the database {path}: {ex.Message}", ex);
        }
        catch
        {
            fileLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A database over a caller-supplied stream (memory mode, or a fixed-size stream in tests). The log (committed
    /// pages not yet checkpointed) is kept here rather than left to LiteDB so that a reopened engine finds the same
    /// log; tests pass one that runs out of space.
    /// </summary>
    public static MailDatabase OpenStream(Stream stream, MailDocuments? documents = null, Stream? log = null)
    {
        documents ??= new MailDocuments(StoreMapper.Create());
        log ??= new ChunkedMemoryStream();
        return new MailDatabase(() => OpenInMemory(stream, log, documents), documents, stream, null) { _log = log };
    }

    /// <summary>What <c>new LiteDatabase(stream, mapper, log)</c> does, with LiteDB's page cache kept small (<see cref="LiteDbCacheLimit"/>).</summary>
    private static LiteDatabase OpenInMemory(Stream stream, Stream log, MailDocuments documents)
    {
        var engine = new LiteEngine(new EngineSettings { DataStream = stream, LogStream = log });
        LiteDbCacheLimit.TryApply(engine, LiteDbCacheLimit.MemorySegments);
        return new LiteDatabase(engine, documents.Mapper, disposeOnClose: true);
    }

    /// <summary>Pages in LiteDB's cache of a database over streams (-1 for a file, or when LiteDB's internals cannot be read).</summary>
    internal int CachedPages() => _path is null ? LiteDbCacheLimit.CachedPages(Db) : -1;

    /// <summary>Bytes on disk (data file plus the not yet checkpointed log), or the memory stream's length.</summary>
    public long SizeInBytes()
    {
        if (_memory is not null)
        {
            // As for a file: the log holds what the writer has not checkpointed yet (up to ~8 MB).
            return _memory.Length + (_log?.Length ?? 0) + Files.TotalBytes;
        }

        var data = new FileInfo(_path!);
        var log = new FileInfo(System.IO.Path.Combine(
            data.DirectoryName!, System.IO.Path.GetFileNameWithoutExtension(data.Name) + "-log" + data.Extension));
        return (data.Exists ? data.Length : 0) + (log.Exists ? log.Length : 0) + Files.TotalBytes;
    }

    public void Dispose()
    {
        using (Gate.Write())
        {
            Close();
        }

        Gate.Dispose();
    }

    private void Close()
    {
        try
        {
            // A clean close checkpoints the log into the data file (see OpenEngine for why LiteDB no longer does it by itself).
            Db.Checkpoint();
        }
        catch (Exception ex) when (ex is LiteException or IOException or ObjectDisposedException)
        {
            // Disk still full or engine faulted: the log stays beside the file and is replayed at the next start.
        }

        try
        {
            Db.Dispose();
        }
        catch (Exception ex) when (ex is LiteException or IOException or ObjectDisposedException)
        {
            // Same: nothing committed is lost by a close that fails, and shutdown must not hang or throw here.
            // An engine that cannot close has a transaction whose finalizer would throw: keep it reachable.
            FaultedEngines.Keep(Db);
        }

        _memory?.Dispose();
        _log?.Dispose();

        // Released last: only once LiteDB has closed the file may another instance open it.
        _lock?.Dispose();
    }

    private Engine OpenEngine()
    {
        var db = _openEngine();

        // No automatic checkpoint inside Commit: LiteDB runs it after the transaction is already in the log, so
        // an ENOSPC there made Commit throw for a committed batch; those clients got 451 and their retry stored
        // the message twice (issue 13). The writer checkpoints on its own after publishing (MessageWriteQueue).
        if (db.CheckpointSize != 0)
        {
            db.CheckpointSize = 0;
        }

        // Every item compressed with a dictionary names it: they are read before the first item is.
        Documents.Dictionaries.Load(db);
        KnownSubjectWords.Clear();
        Vocabulary.Clear();
        MessageIds.Clear();
        SessionIds.Clear();
        return new Engine(
            db,
            new LiteDbTransactionBudget(db),
            db.GetCollection(StoreKeys.Messages),
            db.GetCollection(StoreKeys.Raw),
            db.GetCollection(StoreKeys.Sessions),
            db.GetCollection(Storage.SubjectWords.Collection));
    }

    /// <summary>The log's length in bytes: how much a checkpoint would copy into the data file.</summary>
    public long LogBytes()
    {
        if (_path is null)
        {
            // In memory too: the writer's own estimate (the message bytes plus a page each) is a quarter of what LiteDB
            // logs under smtp-source (~6.7 pages a message), so without this the log grew to ~33 MB between checkpoints,
            // and each cut dropped the chunks past the spare ones: 228 MB of 1 MB arrays for 10,000 messages (issue 12).
            return _log?.Length ?? 0;
        }

        var log = new FileInfo(LogPath(_path));
        return log.Exists ? log.Length : 0;
    }

    public static string LogPath(string dataPath) => System.IO.Path.Combine(
        System.IO.Path.GetDirectoryName(dataPath)!, System.IO.Path.GetFileNameWithoutExtension(dataPath) + "-log" + System.IO.Path.GetExtension(dataPath));

    private sealed record Engine(
        LiteDatabase Db,
        LiteDbTransactionBudget Budget,
        ILiteCollection<BsonDocument> Messages,
        ILiteCollection<BsonDocument> Raw,
        ILiteCollection<BsonDocument> Sessions,
        ILiteCollection<BsonDocument> SubjectWords);

    private void EnsureIndexes()
    {
        EnsureIndexes(Db);

        // A new (empty) store gets the subject-word index complete from its first message on; a file made before
        // the index (or before its vocabulary kept every spelling) keeps scanning for subject: terms until it is emptied.
        if (!Storage.SubjectWords.IsComplete(this) && !Messages.Query().Select("$._id").Limit(1).ToDocuments().Any())
        {
            SubjectWords.Upsert(new BsonDocument { ["_id"] = Storage.SubjectWords.CompleteMarker });
            SubjectWords.Upsert(new BsonDocument { ["_id"] = Storage.SubjectWords.AliasMarker });
        }
    }

    /// <summary>The collections' indexes, also made on a compacted copy before its documents go in.</summary>
    public static void EnsureIndexes(LiteDatabase db)
    {
        var messages = db.GetCollection(StoreKeys.Messages);
        messages.EnsureIndex(StoreKeys.SortKey, "$." + StoreKeys.SortKey);
        messages.EnsureIndex("Read", "$.Read");
        // Multi-key: one entry per tag, so renaming or deleting a tag finds its messages without a scan.
        messages.EnsureIndex(StoreKeys.TagsIndex, StoreKeys.TagsExpression);
        messages.EnsureIndex(Storage.SubjectWords.Field, Storage.SubjectWords.Expression);

        // No query reads the subject or sender indexes (search scans in chunks and matches in C#), yet every insert
        // paid for both: dropped from files made before (issue 12). DropIndex is a no-op when there is none.
        messages.DropIndex(StoreKeys.SubjectKey);
        messages.DropIndex(StoreKeys.FromKey);
        db.GetCollection(StoreKeys.Sessions).EnsureIndex(StoreKeys.SortKey, "$." + StoreKeys.SortKey);
    }
}
