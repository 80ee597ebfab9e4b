using System.Reflection;
using LiteDB;
using LiteDB.Engine;

namespace MailSink.Storage;

/// <summary>
/// Caps how far LiteDB's page cache grows, for the memory store only.
/// <para>
/// LiteDB 5.0.21 keeps every page it reads or writes in a cache that grows by segments of 12, 50, 100, 500 and then
/// 1,000 pages (8 MB each) and never shrinks: it reuses its pages only when more than a segment's worth is unused, so
/// it settles at whatever a busy moment needed plus one to two segments. With the memory store that cache copies pages
/// the stream already holds in memory: after 10,000 messages of 5 KB it held 3,662 pages (30 MB; issue 12,
/// <c>dotnet-dump</c> of bench/memory.sh). Smaller segments make it reuse pages sooner, so it stays near what is in use
/// at once; a miss costs a page read from <see cref="CompressedPageStream"/> (a 4 µs decompression). A file store
/// keeps LiteDB's sizes: a miss there is a read from the file.
/// </para>
/// LiteDB has no setting for it: the sizes are an internal array (Constants.MEMORY_SEGMENT_SIZES) each engine's cache
/// keeps a reference to, so this replaces that reference in one engine's cache. If a LiteDB upgrade renames what this
/// reaches, nothing changes but the memory used (<see cref="TryApply"/> returns false and a test fails).
/// </summary>
internal static class LiteDbCacheLimit
{
    /// <summary>
    /// Pages per segment for the memory store: the first segment (12 pages) is made when the engine opens, then 50, 100,
    /// and 250 pages (2 MB) from then on.
    /// </summary>
    internal static readonly int[] MemorySegments = [12, 50, 100, 250];

    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

    /// <summary>Sets the segment sizes of <paramref name="engine"/>'s cache; false when LiteDB's internals are not as expected.</summary>
    public static bool TryApply(LiteEngine engine, int[] segments)
    {
        if (Cache(engine) is not { } cache
            || cache.GetType().GetField("_segmentSizes", Instance) is not { FieldType.IsArray: true } field)
        {
            return false;
        }

        field.SetValue(cache, segments.ToArray());
        return true;
    }

    /// <summary>Pages the cache of the database's engine holds (in use, cached and free), or -1 if it cannot be read.</summary>
    public static int CachedPages(LiteDatabase db) =>
        EngineOf(db) is { } engine
        && Cache(engine) is { } cache
        && cache.GetType().GetProperty("ExtendPages", Instance)?.GetValue(cache) is int pages ? pages : -1;

    /// <summary>The engine a database runs on, or null when LiteDB's internals are not as in 5.0.21.</summary>
    internal static LiteEngine? EngineOf(LiteDatabase db) =>
        typeof(LiteDatabase).GetField("_engine", Instance)?.GetValue(db) as LiteEngine;

    private static object? Cache(LiteEngine engine)
    {
        var disk = typeof(LiteEngine).GetField("_disk", Instance)?.GetValue(engine);
        return disk?.GetType().GetProperty("Cache", Instance)?.GetValue(disk);
    }
}
