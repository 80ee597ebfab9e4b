using LiteDB;
using MailSink.Options;

namespace MailSink.Storage;

/// <summary>
/// The one LiteDatabase of the process (Connection=direct: shared mode reopens the engine per
/// operation and has open threading bugs), its collections and indexes.
/// </summary>
internal sealed class MailDatabase : IDisposable
{
    private readonly Stream? _memory;
    private readonly string? _path;
    private readonly DatabaseLock? _lock;

    private MailDatabase(LiteDatabase db, MailDocuments documents, Stream? memory, string? path, DatabaseLock? fileLock = null)
    {
        _lock = fileLock;
        Db = db;
        Documents = documents;
        _memory = memory;
        _path = path;
        Messages = db.GetCollection(StoreKeys.Messages);
        Raw = db.GetCollection(StoreKeys.Raw);
        Sessions = db.GetCollection(StoreKeys.Sessions);
        EnsureIndexes();
    }

    public LiteDatabase Db { get; }

    public MailDocuments Documents { get; }

    public ILiteCollection<BsonDocument> Messages { get; }

    public ILiteCollection<BsonDocument> Raw { get; }

    public ILiteCollection<BsonDocument> Sessions { get; }

    public static MailDatabase Open(DataDirectory data)
    {
        var documents = new MailDocuments(StoreMapper.Create());
        if (data.DatabasePath is not { } path)
        {
            return OpenStream(new MemoryStream(), documents);
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
            return new MailDatabase(new LiteDatabase(connection, documents.Mapper), documents, null, path, fileLock);
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

    /// <summary>A database over a caller-supplied stream (memory mode, or a fixed-size stream in tests).</summary>
    public static MailDatabase OpenStream(Stream stream, MailDocuments? documents = null)
    {
        documents ??= new MailDocuments(StoreMapper.Create());
        return new MailDatabase(new LiteDatabase(stream, documents.Mapper), documents, stream, null);
    }

    /// <summary>Bytes on disk (data file plus the not yet checkpointed log), or the memory stream's length.</summary>
    public long SizeInBytes()
    {
        if (_memory is not null)
        {
            return _memory.Length;
        }

        var data = new FileInfo(_path!);
        var log = new FileInfo(System.IO.Path.Combine(
            data.DirectoryName!, System.IO.Path.GetFileNameWithoutExtension(data.Name) + "-log" + data.Extension));
        return (data.Exists ? data.Length : 0) + (log.Exists ? log.Length : 0);
    }

    public void Dispose()
    {
        Db.Dispose();
        _memory?.Dispose();

        // Released last: only once LiteDB has closed the file may another instance open it.
        _lock?.Dispose();
    }

    private void EnsureIndexes()
    {
        Messages.EnsureIndex(StoreKeys.SortKey, "$." + StoreKeys.SortKey);
        Messages.EnsureIndex("Read", "$.Read");
        Messages.EnsureIndex(StoreKeys.SubjectKey, "$." + StoreKeys.SubjectKey);
        Messages.EnsureIndex(StoreKeys.FromKey, "$." + StoreKeys.FromKey);
        Sessions.EnsureIndex(StoreKeys.SortKey, "$." + StoreKeys.SortKey);
    }
}
