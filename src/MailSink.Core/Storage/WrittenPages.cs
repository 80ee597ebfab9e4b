namespace MailSink.Storage;

/// <summary>
/// The pages <see cref="CompressedPageStream"/> was last given, kept as written in a fixed number of slots until they are
/// among the oldest when every slot is taken (LiteDB writes the same pages again and again: see the stream's remarks).
/// Slots are made as they are first needed (an idle store holds a few) and kept until <see cref="Clear"/>.
/// Not thread-safe: the stream's caller serializes access.
/// </summary>
internal sealed class WrittenPages
{
    private readonly int _slots;
    private readonly int _pageSize;
    private readonly Dictionary<int, int> _slotOf = [];
    private readonly Stack<int> _free = new();
    private readonly List<byte[]> _buffers = [];
    private readonly int[] _pageOf;
    private readonly long[] _writtenAt;
    private long _clock;

    /// <param name="slots">Pages kept at most.</param>
    /// <param name="pageSize">Bytes a page.</param>
    public WrittenPages(int slots, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 4);
        _slots = slots;
        _pageSize = pageSize;
        _pageOf = new int[slots];
        _writtenAt = new long[slots];
    }

    /// <summary>Bytes of the slots made so far.</summary>
    public long AllocatedBytes => (long)_buffers.Count * _pageSize;

    public bool Contains(int page) => _slotOf.ContainsKey(page);

    /// <summary>Copies the page out if it is kept here.</summary>
    public bool TryRead(int page, Span<byte> destination)
    {
        if (!_slotOf.TryGetValue(page, out var slot))
        {
            return false;
        }

        _buffers[slot].CopyTo(destination);
        return true;
    }

    /// <summary>
    /// Keeps the page's new content. When every slot is taken the oldest quarter leaves first, each handed to
    /// <paramref name="leave"/> (which stores it elsewhere) before its slot is reused.
    /// </summary>
    public void Write(int page, ReadOnlySpan<byte> content, Action<int, byte[]> leave)
    {
        if (!_slotOf.TryGetValue(page, out var slot))
        {
            if (_free.Count == 0 && _buffers.Count < _slots)
            {
                _buffers.Add(new byte[_pageSize]);
                _free.Push(_buffers.Count - 1);
            }
            else if (_free.Count == 0)
            {
                foreach (var oldest in _slotOf.Values.OrderBy(s => _writtenAt[s]).Take(_slots / 4).ToArray())
                {
                    leave(_pageOf[oldest], _buffers[oldest]);
                    _slotOf.Remove(_pageOf[oldest]);
                    _free.Push(oldest);
                }
            }

            slot = _free.Pop();
            _slotOf[page] = slot;
            _pageOf[slot] = page;
        }

        content.CopyTo(_buffers[slot]);
        _writtenAt[slot] = ++_clock;
    }

    /// <summary>Forgets the page (the stream was cut before it).</summary>
    public void Remove(int page)
    {
        if (_slotOf.Remove(page, out var slot))
        {
            _free.Push(slot);
        }
    }

    /// <summary>Forgets every page and frees the slots.</summary>
    public void Clear()
    {
        _slotOf.Clear();
        _free.Clear();
        _buffers.Clear();
    }
}
