namespace MailSink.Storage;

/// <summary>
/// The memory store's data and log "files": a seekable stream over fixed-size chunks, allocated as they are first
/// written and dropped when the stream is cut (LiteDB cuts the log after each checkpoint).
/// <para>
/// A <see cref="MemoryStream"/> keeps one array and doubles it when it is full: after 10,000 messages of 5 KB its
/// 110 MB database sat in a 201 MB array (the last doubling), its 17 MB log in a 33 MB one, each doubling copied
/// everything and briefly held both arrays, and the arrays never shrank (issue 12: 486 MB RSS for the memory store
/// against 180 MB for the file store). Chunks grow the stream by one chunk at a time and hold at most one chunk
/// more than the length; a chunk is above the large-object threshold, so the GC never copies it.
/// </para>
/// Not thread-safe, as <see cref="MemoryStream"/> is not: LiteDB serializes access to its streams.
/// </summary>
internal sealed class ChunkedMemoryStream : SeekableMemoryStream
{
    /// <summary>128 LiteDB pages of 8 KB.</summary>
    internal const int ChunkSize = 1024 * 1024;

    private readonly List<byte[]> _chunks = [];
    private readonly Stack<byte[]> _spare = new();
    private readonly int _maxSpareChunks;
    private readonly int _chunkSize;

    /// <param name="maxSpareChunks">
    /// Chunks kept for reuse when the stream is cut, up to this many. The log is cut after every checkpoint (~8 MB)
    /// and grows again at once: freeing its chunks each time left the large-object heap full of dead 1 MB arrays
    /// between two full collections.
    /// </param>
    public ChunkedMemoryStream(int maxSpareChunks = 0)
        : this(ChunkSize, maxSpareChunks)
    {
    }

    /// <param name="chunkSize">Bytes per chunk.</param>
    /// <param name="maxSpareChunks">See the other constructor.</param>
    public ChunkedMemoryStream(int chunkSize, int maxSpareChunks)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSpareChunks);
        _chunkSize = chunkSize;
        _maxSpareChunks = maxSpareChunks;
    }

    /// <summary>Bytes held in chunks: the length rounded up to a whole chunk, plus the spare chunks.</summary>
    public long AllocatedBytes => (long)(_chunks.Count + _spare.Count) * _chunkSize;

    /// <summary>
    /// Hands the content over as arrays of at most the chunk size (the last one cut to the length) and empties the
    /// stream: the compressed pieces of a large message become its stored chunks without another copy.
    /// </summary>
    public List<byte[]> DetachChunks()
    {
        ThrowIfDisposed();
        var chunks = new List<byte[]>(_chunks);
        var tail = (int)(ContentLength - (long)(chunks.Count - 1) * _chunkSize);
        if (chunks.Count > 0 && tail < _chunkSize)
        {
            chunks[^1] = chunks[^1].AsSpan(0, tail).ToArray();
        }

        _chunks.Clear();
        ContentLength = Cursor = 0;
        return chunks;
    }

    /// <summary>Frees the spare chunks (after a delete-all, when the store gives its memory back).</summary>
    public void ReleaseSpareChunks() => _spare.Clear();

    public override int Read(Span<byte> buffer)
    {
        ThrowIfDisposed();
        var available = (int)Math.Min(buffer.Length, Math.Max(0, ContentLength - Cursor));
        var done = 0;
        while (done < available)
        {
            var (chunk, within) = Locate(Cursor);
            var n = Math.Min(available - done, _chunkSize - within);
            _chunks[chunk].AsSpan(within, n).CopyTo(buffer[done..]);
            done += n;
            Cursor += n;
        }

        return done;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfDisposed();
        var end = Cursor + buffer.Length;
        if (end > ContentLength)
        {
            // Writing past the end (after a seek) leaves zeros in between, as a file and MemoryStream do.
            SetLength(end);
        }

        var done = 0;
        while (done < buffer.Length)
        {
            var (chunk, within) = Locate(Cursor);
            var n = Math.Min(buffer.Length - done, _chunkSize - within);
            buffer.Slice(done, n).CopyTo(_chunks[chunk].AsSpan(within));
            done += n;
            Cursor += n;
        }
    }

    /// <summary>Grows with zeroed chunks; shrinking drops the chunks past the end, zeroes the tail of the last one and pulls the position back to the end.</summary>
    public override void SetLength(long value)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        var chunks = (int)((value + _chunkSize - 1) / _chunkSize);
        if (value < ContentLength)
        {
            for (var i = _chunks.Count - 1; i >= chunks && _spare.Count < _maxSpareChunks; i--)
            {
                _spare.Push(_chunks[i]);
            }

            _chunks.RemoveRange(chunks, _chunks.Count - chunks);
            var within = (int)(value % _chunkSize);
            if (within > 0)
            {
                // Bytes beyond the new end must read as zeros if the stream grows again.
                Array.Clear(_chunks[^1], within, _chunkSize - within);
            }
        }

        while (_chunks.Count < chunks)
        {
            if (_spare.TryPop(out var reused))
            {
                Array.Clear(reused);
                _chunks.Add(reused);
            }
            else
            {
                _chunks.Add(new byte[_chunkSize]);
            }
        }

        ContentLength = value;

        // As MemoryStream and FileStream do: the position never stays past a cut end.
        Cursor = Math.Min(Cursor, value);
    }

    protected override void Dispose(bool disposing)
    {
        _chunks.Clear();
        _spare.Clear();
        ContentLength = 0;
        base.Dispose(disposing);
    }

    private (int Chunk, int Within) Locate(long position) => ((int)(position / _chunkSize), (int)(position % _chunkSize));
}
