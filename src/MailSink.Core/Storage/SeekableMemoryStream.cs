namespace MailSink.Storage;

/// <summary>
/// What the memory store's two streams (<see cref="ChunkedMemoryStream"/>, <see cref="CompressedPageStream"/>) share:
/// a length and a position that may lie past it, seeking as <see cref="MemoryStream"/> does, and the disposed state.
/// Each keeps its bytes its own way and implements reading, writing and cutting over them.
/// </summary>
internal abstract class SeekableMemoryStream : Stream
{
    private bool _disposed;

    /// <summary>The content's length (set by the derived stream's writes and cuts).</summary>
    protected long ContentLength { get; set; }

    /// <summary>Where the next read or write starts; may lie past <see cref="ContentLength"/>, as in a MemoryStream.</summary>
    protected long Cursor { get; set; }

    public override bool CanRead => !_disposed;

    public override bool CanSeek => !_disposed;

    public override bool CanWrite => !_disposed;

    public override long Length
    {
        get
        {
            ThrowIfDisposed();
            return ContentLength;
        }
    }

    public override long Position
    {
        get
        {
            ThrowIfDisposed();
            return Cursor;
        }

        set
        {
            ThrowIfDisposed();
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Cursor = value;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override long Seek(long offset, SeekOrigin origin)
    {
        ThrowIfDisposed();
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Cursor + offset,
            SeekOrigin.End => ContentLength + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        if (target < 0)
        {
            throw new IOException("An attempt was made to move the position before the beginning of the stream.");
        }

        Cursor = target;
        return Cursor;
    }

    public override void Flush()
    {
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }

    protected void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
