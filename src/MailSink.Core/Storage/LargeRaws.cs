using System.Collections.Concurrent;
using MailSink.Domain;

namespace MailSink.Storage;

/// <summary>
/// Raw bytes of large messages kept outside LiteDB, as sent (issue 12): a file each for a file store
/// (<see cref="RawFiles"/>), the caller's array for the memory store (<see cref="RawArrays"/>). In LiteDB a 25 MB
/// message went through its transaction pages (which grow the engine's cache for good), was compressed into chunks,
/// and every view read and decompressed it whole: 6x its size above idle while sending, 10x while viewing. Here it is
/// kept from the caller's buffer and read as a seekable stream, so MimeKit binds part contents to it and the raw
/// view streams it. The LiteDB document of such a message is a marker (<see cref="RawChunks.InsertFileMarker"/>).
/// The writer registers a message's bytes after the commit that references them (<see cref="Committed"/>) and drops
/// them after the commit that removes the message (<see cref="Remove"/>), never before.
/// </summary>
internal abstract class LargeRaws
{
    /// <summary>
    /// From this size on a message's raw bytes are kept here. Below it LiteDB's chunks and zstd are cheaper than a
    /// file and its two fsyncs, and a view's copy of the message is small.
    /// </summary>
    public const int Threshold = 1024 * 1024;

    /// <summary>Committed messages: id to length. Changed by the writer after commits, read by anyone.</summary>
    private readonly ConcurrentDictionary<string, long> _committed = new(StringComparer.Ordinal);

    private long _totalBytes;

    /// <summary>Bytes of committed messages (read with every stats request: a sum kept, not taken).</summary>
    public long TotalBytes => Interlocked.Read(ref _totalBytes);

    /// <summary>Whether a message is kept here: large, and an id that is safe as a file name (every generated one).</summary>
    public static bool Takes(string id, int length) => length >= Threshold && MessageIdGenerator.IsWellFormed(id);

    public bool Has(string id) => _committed.ContainsKey(id);

    /// <summary>
    /// Writes the bytes of <paramref name="id"/> (durably, for a file) before the caller lets the commit that references
    /// them go ahead; returns what the commit must carry to <see cref="Committed"/> (an array kept in memory), or null.
    /// <paramref name="owned"/> is <paramref name="raw"/>'s array when the caller hands it over (it never changes it
    /// again). Throws <see cref="IOException"/> when the disk refuses.
    /// </summary>
    public abstract Task<byte[]?> WriteAsync(string id, ReadOnlyMemory<byte> raw, byte[]? owned, CancellationToken cancellationToken);

    /// <summary>The bytes as a seekable, read-only stream, or null when they are gone (deleted after the caller found the message).</summary>
    public abstract Stream? Open(string id);

    /// <summary>
    /// The commit referencing <paramref name="id"/>'s bytes went through (writer thread, before readers are let in
    /// again, so none finds the message without its bytes). <paramref name="kept"/> is what <see cref="WriteAsync"/> returned.
    /// </summary>
    public void Committed(string id, long length, byte[]? kept)
    {
        Keep(id, kept);
        Remember(id, length);
    }

    /// <summary>The committed ids right now (a delete-all removes these once it has committed).</summary>
    public List<string> CommittedIds() => [.. _committed.Keys];

    /// <summary>Drops the bytes of messages whose removal has committed.</summary>
    public void Remove(IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            if (_committed.TryRemove(id, out var length))
            {
                Interlocked.Add(ref _totalBytes, -length);
                Drop(id);
            }
        }
    }

    /// <summary>
    /// Bytes written whose commit did not happen (the store refused the write): dropped now. Those of a committed
    /// message of the same id (a replaced message) are left alone.
    /// </summary>
    public void Discard(string id)
    {
        if (!Has(id))
        {
            Drop(id);
        }
    }

    protected abstract void Drop(string id);

    /// <summary>Takes what <see cref="WriteAsync"/> returned for a committed message.</summary>
    protected virtual void Keep(string id, byte[]? kept)
    {
    }

    /// <summary>Remembers what is already there (a file store's files at start-up).</summary>
    protected void Remember(string id, long length)
    {
        var before = 0L;
        _committed.AddOrUpdate(id, length, (_, old) =>
        {
            before = old;
            return length;
        });
        Interlocked.Add(ref _totalBytes, length - before);
    }

    protected void Forget()
    {
        _committed.Clear();
        Interlocked.Exchange(ref _totalBytes, 0);
    }
}
