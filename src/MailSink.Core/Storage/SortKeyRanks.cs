using System.Globalization;

namespace MailSink.Storage;

/// <summary>
/// Every stored message's position in list order, so a deep page (<c>start=500000</c>) finds its first key without
/// LiteDB walking half a million index nodes (106 ms at a million messages; issue 12 wants under 50 ms). Only the
/// time part of each sort key is kept, sorted (8 bytes a message, 8 MB at a million): position p's key is then the
/// k-th key of its tick in the index, where k counts the equal ticks before p, a walk of one node in practice.
/// The writer changes it inside its transaction's gate (<see cref="EngineGate"/>) and replaces it whole on a
/// recount; readers use it under the shared side of the same gate.
/// </summary>
internal sealed class SortKeyRanks
{
    /// <summary>Below this many changes a batch edits the list in place; above, it merges in one pass.</summary>
    private const int InPlaceLimit = 32;

    private List<long> _ticks = [];

    public int Count => _ticks.Count;

    /// <summary>Builds the list from the sort-key index (start-up, after a reopen, a delete-all or a rollback).</summary>
    public void Rebuild(IEnumerable<string> ascendingSortKeys)
    {
        var ticks = new List<long>();
        foreach (var key in ascendingSortKeys)
        {
            ticks.Add(TicksOf(key));
        }

        Volatile.Write(ref _ticks, ticks);
    }

    /// <summary>
    /// The time part of the key at newest-first position <paramref name="start"/>, and how many keys with the same
    /// time sort before it; false past the end.
    /// </summary>
    public bool TryLocate(int start, out long ticks, out int equalBefore)
    {
        var list = Volatile.Read(ref _ticks);
        var position = list.Count - 1 - start;
        if (start < 0 || position < 0)
        {
            (ticks, equalBefore) = (0, 0);
            return false;
        }

        ticks = list[position];
        equalBefore = position - LowerBound(list, ticks);
        return true;
    }

    /// <summary>Applies one committed batch: keys added and removed (as sort keys' time parts, in any order).</summary>
    public void Apply(List<long> added, List<long> removed)
    {
        var list = _ticks;
        if (added.Count + removed.Count <= InPlaceLimit)
        {
            foreach (var t in removed)
            {
                var i = list.BinarySearch(t);
                if (i >= 0)
                {
                    list.RemoveAt(i);
                }
            }

            foreach (var t in added)
            {
                var i = list.BinarySearch(t);
                list.Insert(i >= 0 ? i : ~i, t);
            }

            return;
        }

        // Pruning 100,000 of a million one RemoveAt at a time would move 10^11 entries: one merge instead.
        added.Sort();
        removed.Sort();
        var merged = new List<long>(list.Count + added.Count - removed.Count);
        int a = 0, r = 0;
        foreach (var t in list)
        {
            while (r < removed.Count && removed[r] < t)
            {
                r++; // a removed key that was not listed: nothing to take out
            }

            if (r < removed.Count && removed[r] == t)
            {
                r++;
                continue;
            }

            while (a < added.Count && added[a] <= t)
            {
                merged.Add(added[a++]);
            }

            merged.Add(t);
        }

        while (a < added.Count)
        {
            merged.Add(added[a++]);
        }

        _ticks = merged;
    }

    /// <summary>The UTC ticks a sort key starts with (see <see cref="StoreKeys.SortKeyOf"/>).</summary>
    public static long TicksOf(string sortKey) =>
        long.Parse(sortKey.AsSpan(0, StoreKeys.TicksDigits), NumberStyles.None, CultureInfo.InvariantCulture);

    private static int LowerBound(List<long> list, long value)
    {
        int low = 0, high = list.Count;
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            if (list[mid] < value)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
