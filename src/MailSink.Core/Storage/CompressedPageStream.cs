using ZstdSharp;

namespace MailSink.Storage;

/// <summary>
/// The memory store's data "file": a seekable stream that keeps each 8 KB LiteDB page zstd-compressed in an array
/// of its own (a page of zeros holds no array at all).
/// <para>
/// LiteDB pages are mostly BSON field names, repeated values and the free space of part-filled pages: the pages of
/// 10,000 messages of 5 KB (summaries, sessions with their transcripts, raw bodies already compressed, indexes) took
/// 53 MB as pages and 15 MB compressed at zstd level 1 (3.6x, 13 µs a page to compress, 4 µs to decompress; LZ4
/// measured 3.1x at 5 µs). Issue 12: the memory store's RSS after that load was 288-302 MB, ~60 MB of it these pages.
/// </para>
/// <para>
/// LiteDB reads and writes whole pages at page-aligned positions (data file and log alike) and keeps the pages it works
/// on in its own cache, so a page is read from here (decompressed) on a cache miss. Its checkpoint copies every version
/// of a page the log holds, ~6.7 page writes per message under smtp-source, mostly the same index and part-filled data
/// pages again: compressing each write cost ~200 µs of CPU per message. The last pages written are therefore kept as
/// they are (<see cref="DefaultDirtySlots"/>) and the oldest quarter of them compressed when they are all taken: ~0.6
/// compressions per message. A partial or unaligned write or read goes through a whole copy of each page it touches.
/// The log stays a <see cref="ChunkedMemoryStream"/>: it is rewritten all the time and cut after each checkpoint.
/// </para>
/// Not thread-safe, as <see cref="MemoryStream"/> is not: LiteDB's ConcurrentStream locks this instance around
/// each seek and read or write; <see cref="SetLength"/>, which LiteDB does not lock, takes the same lock.
/// </summary>
internal sealed class CompressedPageStream : SeekableMemoryStream
{
    /// <summary>LiteDB's PAGE_SIZE.</summary>
    internal const int PageSize = 8192;

    /// <summary>Fast and still 3.6x on LiteDB pages; level 3 gained 1% for 40% more CPU (see the class remarks).</summary>
    private const int Level = 1;

    /// <summary>A page that compresses worse than this is stored as it is (already compressed raw bodies).</summary>
    private const int MaxPackedLength = PageSize - PageSize / 16;

    /// <summary>An array is kept for a page's next version if it fits and wastes at most this much.</summary>
    private const int MaxReuseSlack = 512;

    /// <summary>Pages last written, kept uncompressed until they are the oldest of this many (2 MB; see the class remarks).</summary>
    internal const int DefaultDirtySlots = 256;

    // Per page: null (zeros), the compressed bytes (the first Length bytes of Data), or the page itself (Length == PageSize).
    private readonly List<Page> _pages = [];
    private readonly byte[] _scratch = new byte[Compressor.GetCompressBound(PageSize)];
    private readonly byte[] _page = new byte[PageSize];

    // The pages written and not compressed yet; Pack as a delegate made once (it runs for each page leaving them).
    private readonly WrittenPages _written;
    private readonly Action<int, byte[]> _pack;

    // Made at first use: an idle store has not loaded zstd yet (nor has the rest of the server before its first message).
    private Compressor? _compressor;
    private Decompressor? _decompressor;
    private long _storedBytes;

    /// <param name="dirtySlots">Pages kept uncompressed after a write (see <see cref="DefaultDirtySlots"/>); at least 4.</param>
    public CompressedPageStream(int dirtySlots = DefaultDirtySlots)
    {
        _written = new WrittenPages(dirtySlots, PageSize);
        _pack = (index, page) => Pack(index, page);
    }

    /// <summary>Bytes held by the pages' arrays and the written pages not compressed yet (what the store costs in memory, against <see cref="Stream.Length"/>).</summary>
    public long AllocatedBytes => _storedBytes + _written.AllocatedBytes;

    public override int Read(Span<byte> buffer)
    {
        ThrowIfDisposed();
        var available = (int)Math.Min(buffer.Length, Math.Max(0, ContentLength - Cursor));
        var done = 0;
        while (done < available)
        {
            var (index, within) = Locate(Cursor);
            var n = Math.Min(available - done, PageSize - within);
            if (n == PageSize)
            {
                // LiteDB's read: a whole page straight into its cache buffer.
                Get(index, buffer.Slice(done, PageSize));
            }
            else
            {
                Get(index, _page);
                _page.AsSpan(within, n).CopyTo(buffer[done..]);
            }

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
            var (index, within) = Locate(Cursor);
            var n = Math.Min(buffer.Length - done, PageSize - within);
            if (n == PageSize)
            {
                // LiteDB's write: a whole page.
                Put(index, buffer.Slice(done, PageSize));
            }
            else
            {
                Get(index, _page);
                buffer.Slice(done, n).CopyTo(_page.AsSpan(within));
                Put(index, _page);
            }

            done += n;
            Cursor += n;
        }
    }

    /// <summary>Grows with zero pages; shrinking drops the pages past the end, zeroes the tail of the last one and pulls the position back to the end.</summary>
    public override void SetLength(long value)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        lock (this)
        {
            var pages = (int)((value + PageSize - 1) / PageSize);
            if (value < ContentLength)
            {
                for (var i = pages; i < _pages.Count; i++)
                {
                    _storedBytes -= _pages[i].Data?.Length ?? 0;
                    _written.Remove(i);
                }

                _pages.RemoveRange(pages, _pages.Count - pages);
                var within = (int)(value % PageSize);
                if (within > 0 && (_pages[^1].Data is not null || _written.Contains(pages - 1)))
                {
                    // Bytes beyond the new end must read as zeros if the stream grows again.
                    Get(pages - 1, _page);
                    Array.Clear(_page, within, PageSize - within);
                    Put(pages - 1, _page);
                }

                if (_pages.Count == 0)
                {
                    _pages.Capacity = 0;
                    _written.Clear();
                }
            }

            while (_pages.Count < pages)
            {
                _pages.Add(default);
            }

            ContentLength = value;

            // As MemoryStream and FileStream do: the position never stays past a cut end.
            Cursor = Math.Min(Cursor, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        _compressor?.Dispose();
        _decompressor?.Dispose();
        _compressor = null;
        _decompressor = null;
        _pages.Clear();
        _written.Clear();
        _storedBytes = ContentLength = 0;
        base.Dispose(disposing);
    }

    private void Get(int index, Span<byte> page)
    {
        if (!_written.TryRead(index, page))
        {
            Unpack(index, page);
        }
    }

    /// <summary>Keeps the page as written; pages compressed only as they leave <see cref="_written"/>.</summary>
    private void Put(int index, ReadOnlySpan<byte> page) => _written.Write(index, page, _pack);

    private void Unpack(int index, Span<byte> page)
    {
        var stored = _pages[index];
        if (stored.Data is null)
        {
            page.Clear();
        }
        else if (stored.Length == PageSize)
        {
            stored.Data.AsSpan(0, PageSize).CopyTo(page);
        }
        else if ((_decompressor ??= new()).Unwrap(stored.Data.AsSpan(0, stored.Length), page) != PageSize)
        {
            throw new InvalidDataException($"A stored page ({index}) decompressed to less than {PageSize} bytes.");
        }
    }

    private void Pack(int index, ReadOnlySpan<byte> page)
    {
        ReadOnlySpan<byte> keep;
        if (!page.ContainsAnyExcept((byte)0))
        {
            keep = [];
        }
        else
        {
            var written = (_compressor ??= new(Level)).Wrap(page, _scratch);
            keep = written <= MaxPackedLength ? _scratch.AsSpan(0, written) : page;
        }

        var old = _pages[index].Data;
        byte[]? data = null;
        if (keep.Length > 0)
        {
            // A page is rewritten at each checkpoint that changed it, mostly to about the same size: keep its array then.
            data = old is not null && old.Length >= keep.Length && old.Length - keep.Length <= MaxReuseSlack ? old : new byte[keep.Length];
            keep.CopyTo(data);
        }

        _storedBytes += (data?.Length ?? 0) - (old?.Length ?? 0);
        _pages[index] = new Page(data, keep.Length);
    }

    private static (int Index, int Within) Locate(long position) => ((int)(position / PageSize), (int)(position % PageSize));

    private readonly record struct Page(byte[]? Data, int Length);
}
