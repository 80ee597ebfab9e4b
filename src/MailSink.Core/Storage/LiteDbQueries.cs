using LiteDB;
using MailSink.Domain;

namespace MailSink.Storage;

/// <summary>
/// The message list's reads over LiteDB: keyset pages, filtered scans and the subject-word search. A class of its own
/// rather than a part of <see cref="LiteDbMailStore"/>: these reads need only the database and the counters' kept
/// positions, never the write queue, so they can be read (and tested through the store) without the store's write
/// side; the store wraps each call in its read gate and its retry after an engine reopen. Each method is synchronous
/// and must run inside that gate; long ones step out of it between chunks (<see cref="EngineGate.YieldRead"/>).
/// </summary>
internal sealed class LiteDbQueries(MailDatabase database, StoreCounters counters)
{
    /// <summary>Filtered scans read this many summaries per query so no read spans the whole collection.</summary>
    private const int ScanChunk = 256;

    private readonly MailDatabase _database = database;
    private readonly StoreCounters _counters = counters;

    /// <summary>
    /// Newest first from position <paramref name="start"/>. The page's first key comes from the kept positions
    /// (<see cref="SortKeyRanks"/>): its time part, then a seek to that time in the sort-key index and a step over the
    /// keys of the same time before it. LiteDB's Skip mapped every skipped document, and an offset over the index
    /// alone still walked every skipped node (106 ms for start=500,000 at a million messages).
    /// </summary>
    public List<MessageSummary> Page(int start, int limit)
    {
        var query = _database.Messages.Query();
        if (start > 0)
        {
            if (FirstKeyAt(start) is not { } first)
            {
                return [];
            }

            query = query.Where($"$.{StoreKeys.SortKey} <= @0", first);
        }

        return query.OrderByDescending($"$.{StoreKeys.SortKey}").Limit(limit).ToDocuments()
            .Select(_database.Documents.ToSummary).ToList();
    }

    /// <summary>The sort key at newest-first position <paramref name="start"/>, or null past the end.</summary>
    private BsonValue? FirstKeyAt(int start)
    {
        if (!_counters.Ranks.TryLocate(start, out var ticks, out var equalBefore))
        {
            return null;
        }

        var key = _database.Messages.Query()
            .Where($"$.{StoreKeys.SortKey} >= @0", StoreKeys.TicksPrefix(ticks))
            .OrderBy($"$.{StoreKeys.SortKey}").Select($"$.{StoreKeys.SortKey}").Offset(equalBefore).Limit(1)
            .ToDocuments().FirstOrDefault()?[StoreKeys.SortKey];
        if (key is not null && SortKeyRanks.TicksOf(key.AsString) == ticks)
        {
            return key;
        }

        // The positions disagree with the index (they never should): the walk over the index is slow but right.
        return NewestFirst(_database.Messages).Select($"$.{StoreKeys.SortKey}").Offset(start).Limit(1)
            .ToDocuments().FirstOrDefault()?[StoreKeys.SortKey];
    }

    public static ILiteQueryable<BsonDocument> NewestFirst(ILiteCollection<BsonDocument> collection) =>
        collection.Query().OrderByDescending($"$.{StoreKeys.SortKey}");

    /// <summary>
    /// Newest first, in chunks keyed by the sort key: each chunk is its own short read, so a long
    /// scan neither pins one snapshot nor holds more than a chunk of documents in memory.
    /// </summary>
    public Page<MessageSummary> Scan(int start, int limit, Func<MessageSummary, bool> filter, CancellationToken cancellationToken)
    {
        var items = new List<MessageSummary>();
        var matched = 0;
        string? after = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Each chunk is its own read: a writer waiting for the gate commits between two chunks.
            _database.Gate.YieldRead();
            var query = _database.Messages.Query();
            if (after is not null)
            {
                query = query.Where($"$.{StoreKeys.SortKey} < @0", after);
            }

            var chunk = query.OrderByDescending($"$.{StoreKeys.SortKey}").Limit(ScanChunk).ToDocuments().ToList();
            foreach (var doc in chunk)
            {
                var summary = _database.Documents.ToSummary(doc);
                if (!filter(summary))
                {
                    continue;
                }

                if (matched >= start && items.Count < limit)
                {
                    items.Add(summary);
                }

                matched++;
            }

            if (chunk.Count < ScanChunk)
            {
                return new Page<MessageSummary>(items, matched);
            }

            after = chunk[^1][StoreKeys.SortKey].AsString;
        }
    }

    /// <summary>
    /// The messages of the subject words containing one of <paramref name="runs"/> (<see cref="FewestCandidates"/>),
    /// newest first, tested with the query's own predicate: the same page and total as <see cref="Scan"/>, reading
    /// only the candidates. Each candidate is read with only the fields the filter reads (<see cref="SearchProjection"/>)
    /// and tested as it is read (the predicate's only effect, the search API's unread tally, does not depend on the
    /// order); only a match's sort key and id are kept, sorted, and only the returned page is read whole.
    /// </summary>
    public Page<MessageSummary> IndexedSearch(
        IReadOnlyList<string> runs, Search.SearchQuery query, int start, int limit, Func<MessageSummary, bool> filter, CancellationToken cancellationToken)
    {
        var projection = SearchProjection.For(query);
        var matches = new List<Match>();
        FewestCandidates.Read(
            _database,
            runs,
            projection,
            doc =>
            {
                var summary = projection is null ? _database.Documents.ToSummary(doc) : SearchProjection.ToSummary(_database.Documents.Mapper, doc);
                if (filter(summary))
                {
                    matches.Add(new Match(doc[StoreKeys.SortKey].AsString, doc["_id"], projection is null ? summary : null));
                }
            },
            cancellationToken);

        // Newest first on the sort keys alone.
        matches.Sort((a, b) => string.CompareOrdinal(b.SortKey, a.SortKey));
        var page = matches.Skip(start).Take(limit).ToList();

        // A whole candidate's summary is the one returned; a projected one held only what the filter reads.
        return new Page<MessageSummary>(projection is null ? page.ConvertAll(m => m.Whole!) : ReadWhole(page), matches.Count);
    }

    /// <summary>What a search keeps of a match: its sort key, its id, and its summary when it was read whole.</summary>
    private sealed record Match(string SortKey, BsonValue Id, MessageSummary? Whole);

    /// <summary>
    /// The page's messages read whole. Still inside the read that found them (no step out of the gate since the last
    /// word), so none can have been deleted in between, except by a writer that ran between two words: skipped.
    /// </summary>
    private List<MessageSummary> ReadWhole(List<Match> page)
    {
        var items = new List<MessageSummary>(page.Count);
        foreach (var match in page)
        {
            if (_database.Messages.FindById(match.Id) is { } doc)
            {
                items.Add(_database.Documents.ToSummary(doc));
            }
        }

        return items;
    }
}
