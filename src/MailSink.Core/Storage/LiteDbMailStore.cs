using LiteDB;
using MailSink.Domain;
using MailSink.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailSink.Storage;

/// <summary>
/// <see cref="IMailStore"/> over one LiteDB database. Writes go through the single
/// <see cref="MessageWriteQueue"/>; reads are short synchronous LiteDB calls on the caller's
/// thread (snapshot reads do not wait for the writer), never held across an await.
/// </summary>
internal sealed partial class LiteDbMailStore : IMailStore, IAsyncDisposable
{
    /// <summary>Filtered scans read this many summaries per query so no read spans the whole collection.</summary>
    private const int ScanChunk = 256;

    private readonly MailDatabase _database;
    private readonly StoreCounters _counters = new();
    private readonly MessageWriteQueue _writes;
    private int _disposed;

    public LiteDbMailStore(
        IOptions<StorageOptions> storage,
        DataDirectory data,
        MailboxEvents events,
        TimeProvider timeProvider,
        ILogger<LiteDbMailStore> logger)
        : this(MailDatabase.Open(data), storage.Value.WriteBatchSize, events, timeProvider, logger)
    {
    }

    /// <summary>Over an already opened database (tests use a fixed-size stream to make commits fail for real).</summary>
    internal LiteDbMailStore(
        MailDatabase database, int writeBatchSize, MailboxEvents events, TimeProvider timeProvider, ILogger logger)
    {
        _database = database;
        CompactAtStartup(database, logger);
        _counters.Recount(database);
        _writes = new MessageWriteQueue(database, _counters, events, timeProvider, writeBatchSize, logger);

        // First in the queue, so no session of this run (saved with its first message) can be taken for an old one.
        _ = CloseInterruptedSessionsAsync(logger);
    }

    public Task AddMessageAsync(MessageSummary summary, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken) =>
        AddMessageAsync(summary, raw, null, cancellationToken);

    public Task AddMessageAsync(MessageSummary summary, ReadOnlyMemory<byte> raw, SessionRecord? session, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(summary.Id);

        // Copied now: the caller's buffer (SmtpServer's pipe) is only valid until it stops
        // waiting, and a cancelled wait may leave this write queued behind it.
        var bytes = raw.ToArray();
        return _writes.EnqueueAsync(
            (context, events) =>
            {
                MailMutations.AddMessage(context, summary, bytes);
                if (session is not null)
                {
                    // No SessionClosed event: the session is still open, this only makes it survive a crash.
                    MailMutations.SaveSession(context, session);
                }

                events.Add(new MessageStored(summary));
                return true;
            },
            WriteCost.Grows(bytes.Length),
            cancellationToken);
    }

    public Task SaveSessionAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(session.Id);
        return _writes.EnqueueAsync(
            (context, events) =>
            {
                MailMutations.SaveSession(context, session);
                if (session.Outcome != SessionOutcome.Open)
                {
                    events.Add(new SessionClosed(SessionSummary.From(session)));
                }

                return true;
            },
            cancellationToken);
    }

    public Task<MessageSummary?> GetMessageAsync(string id, CancellationToken cancellationToken) =>
        ReadAsync(() => _database.Messages.FindById(id) is { } doc ? _database.Documents.ToSummary(doc) : null, cancellationToken);

    public Task<MessageSummary?> GetLatestAsync(CancellationToken cancellationToken) =>
        ReadAsync(
            () => NewestFirst(_database.Messages).Limit(1).ToDocuments().Select(_database.Documents.ToSummary).FirstOrDefault(),
            cancellationToken);

    public Task<byte[]?> GetRawAsync(string id, CancellationToken cancellationToken) =>
        ReadAsync(() => RawChunks.Read(_database.Raw, id), cancellationToken);

    public Task<Page<MessageSummary>> ListMessagesAsync(
        int start, int limit, Func<MessageSummary, bool>? filter, CancellationToken cancellationToken)
    {
        start = Math.Max(0, start);
        limit = Math.Max(0, limit);
        if (filter is null)
        {
            return ReadAsync(
                () =>
                {
                    var items = Page(start, limit);
                    return new Page<MessageSummary>(items, _counters.Total);
                },
                cancellationToken);
        }

        // Testing every summary can take a while on a large store: off the caller's thread.
        return Task.Run(() => ReadAsync(() => Scan(start, limit, filter, cancellationToken), cancellationToken), cancellationToken);
    }

    public Task<Page<MessageSummary>> ListMessagesAsync(
        int start, int limit, Search.SearchQuery query, Func<MessageSummary, bool> filter, CancellationToken cancellationToken)
    {
        if (SubjectWords.IndexableTerm(query) is not { } term)
        {
            return ListMessagesAsync(start, limit, filter, cancellationToken);
        }

        return Task.Run(
            () => ReadAsync(
                () => SubjectWords.IsComplete(_database)
                    ? IndexedSearch(term, query, Math.Max(0, start), Math.Max(0, limit), filter, cancellationToken)
                    : Scan(Math.Max(0, start), Math.Max(0, limit), filter, cancellationToken),
                cancellationToken),
            cancellationToken);
    }

    public Task<int> SetReadAsync(IReadOnlyCollection<string>? ids, bool read, CancellationToken cancellationToken) =>
        _writes.EnqueueAsync((context, events) => MailMutations.SetRead(context, ids, read, events), cancellationToken);

    public Task<int> SetTagsAsync(IReadOnlyCollection<string> ids, IReadOnlyList<string> tags, CancellationToken cancellationToken) =>
        _writes.EnqueueAsync((context, events) => TagMutations.Set(context, ids, tags, events), cancellationToken);

    public Task<int> AddTagsAsync(string id, IReadOnlyList<string> tags, CancellationToken cancellationToken) =>
        _writes.EnqueueAsync((context, events) => TagMutations.Add(context, id, tags, events), cancellationToken);

    public Task<int> RenameTagAsync(string from, string to, CancellationToken cancellationToken) =>
        _writes.EnqueueAsync((context, events) => TagMutations.Rename(context, from, to, events), cancellationToken);

    public Task<int> DeleteTagAsync(string tag, CancellationToken cancellationToken) =>
        _writes.EnqueueAsync((context, events) => TagMutations.Delete(context, tag, events), cancellationToken);

    public Task<IReadOnlyDictionary<string, int>> GetTagCountsAsync(CancellationToken cancellationToken) =>
        Task.Run(() => ReadAsync<IReadOnlyDictionary<string, int>>(() => TagMutations.Counts(_database), cancellationToken), cancellationToken);

    public Task<int> DeleteMessagesAsync(IReadOnlyCollection<string>? ids, CancellationToken cancellationToken) =>
        _writes.EnqueueAsync(
            (context, events) => ids is null
                ? MailMutations.DeleteAll(context, events)
                : MailMutations.Delete(context, ids, events),
            WriteCost.Frees,
            cancellationToken);

    public Task<SessionRecord?> GetSessionAsync(string id, CancellationToken cancellationToken) =>
        ReadAsync(() => _database.Sessions.FindById(id) is { } doc ? _database.Documents.ToSession(doc) : null, cancellationToken);

    public Task<Page<SessionSummary>> ListSessionsAsync(int start, int limit, CancellationToken cancellationToken) =>
        ReadAsync(
            () =>
            {
                var items = NewestFirst(_database.Sessions).Skip(Math.Max(0, start)).Limit(Math.Max(0, limit))
                    .ToDocuments().Select(_database.Documents.ToSessionSummary).ToList();
                return new Page<SessionSummary>(items, _database.Sessions.Count());
            },
            cancellationToken);

    public Task<StoreStats> GetStatsAsync(CancellationToken cancellationToken) =>
        ReadAsync(
            () => new StoreStats(_counters.Total, _counters.Unread, _database.SizeInBytes(), _database.Sessions.Count())
            {
                WritesRefused = _writes.RefusalReason(),
            },
            cancellationToken);

    /// <summary>Messages or sessions one retention turn deletes at most (tests make it small).</summary>
    internal int PruneBatchSize { get; set; } = RetentionPruner.DefaultBatchSize;

    /// <summary>
    /// Retention in turns of at most <see cref="PruneBatchSize"/> deletes, each queued behind the writes that arrived
    /// during the previous one, so a large backlog never holds the writer (and SMTP's 250s) for long.
    /// </summary>
    public async Task<int> PruneAsync(int maxMessages, TimeSpan? maxAge, CancellationToken cancellationToken)
    {
        // The writer's committed count plus this batch's changes so far: exact, without an index walk per turn.
        var pruner = new RetentionPruner(
            maxMessages,
            maxAge,
            PruneBatchSize,
            context => context.Recount ? context.Database.Messages.Count() : _counters.Total + context.TotalDelta);
        while (await _writes.EnqueueAloneAsync(pruner.Step, WriteCost.Frees, cancellationToken).ConfigureAwait(false))
        {
            // Rest as long as the turn took: a backlog is pruned with at most half of one core, leaving the rest
            // (on a 2-core machine, ingest's share) to SMTP sessions. Real time on purpose: this paces CPU use,
            // it is not a retention deadline.
            if (pruner.LastTurn > TimeSpan.FromMilliseconds(1))
            {
                // At most twice the budget: a turn that was preempted for long says nothing about its own cost.
                var rest = pruner.LastTurn < 2 * RetentionPruner.TurnBudget ? pruner.LastTurn : 2 * RetentionPruner.TurnBudget;
                await Task.Delay(rest, cancellationToken).ConfigureAwait(false);
            }
        }

        return pruner.Deleted;
    }

    /// <summary>Lets queued writes commit, then closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _writes.DisposeAsync().ConfigureAwait(false);
        _database.Dispose();
    }

    /// <summary>Before the writer starts, so nothing else writes while the file is copied and swapped.</summary>
    private static void CompactAtStartup(MailDatabase database, ILogger logger)
    {
        try
        {
            if (StoreCompactor.CompactIfMostlyFree(database) is { } sizes)
            {
                StoreCompactor.GiveMemoryBack();
                Log.CompactedAtStartup(logger, sizes.Before, sizes.After);
            }
        }
        catch (Exception ex) when (ex is LiteException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // The store works uncompacted; a full disk or a bad copy must not stop MailSink from starting.
            Log.StartupCompactionFailed(logger, ex);
        }
    }

    private async Task CloseInterruptedSessionsAsync(ILogger logger)
    {
        try
        {
            var closed = await _writes.EnqueueAsync((context, _) => MailMutations.CloseInterruptedSessions(context), CancellationToken.None)
                .ConfigureAwait(false);
            if (closed > 0)
            {
                Log.InterruptedSessionsClosed(logger, closed);
            }
        }
        catch (StoreUnavailableException ex)
        {
            // They stay "open" in the list; nothing else depends on it.
            Log.InterruptedSessionsNotClosed(logger, ex);
        }
    }

    /// <summary>
    /// Newest first from position <paramref name="start"/>. The page's first key comes from the kept positions
    /// (<see cref="SortKeyRanks"/>): its time part, then a seek to that time in the sort-key index and a step over the
    /// keys of the same time before it. LiteDB's Skip mapped every skipped document, and an offset over the index
    /// alone still walked every skipped node (106 ms for start=500,000 at a million messages).
    /// </summary>
    private List<MessageSummary> Page(int start, int limit)
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

    private static ILiteQueryable<BsonDocument> NewestFirst(ILiteCollection<BsonDocument> collection) =>
        collection.Query().OrderByDescending($"$.{StoreKeys.SortKey}");

    /// <summary>
    /// Newest first, in chunks keyed by the sort key: each chunk is its own short read, so a long
    /// scan neither pins one snapshot nor holds more than a chunk of documents in memory.
    /// </summary>
    private Page<MessageSummary> Scan(int start, int limit, Func<MessageSummary, bool> filter, CancellationToken cancellationToken)
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
    /// The messages of every subject word containing <paramref name="upperTerm"/>, newest first, tested with the
    /// query's own predicate: the same page and total as <see cref="Scan"/>, reading only the candidates.
    /// </summary>
    private Page<MessageSummary> IndexedSearch(
        string upperTerm, Search.SearchQuery query, int start, int limit, Func<MessageSummary, bool> filter, CancellationToken cancellationToken)
    {
        // No term reads the search text or what only the message view shows: candidates are tested without them
        // (unpacking the search text and mapping the rest was most of the per-candidate cost); a returned one is
        // mapped whole.
        var light = !query.Terms.Any(t => t.Field == Search.SearchField.Text);
        var candidates = new Dictionary<string, BsonDocument>(StringComparer.Ordinal);
        foreach (var word in SubjectWords.Containing(_database, upperTerm))
        {
            cancellationToken.ThrowIfCancellationRequested();
            _database.Gate.YieldRead();
            foreach (var doc in _database.Messages.Find(BsonExpression.Create($"{SubjectWords.Expression} ANY = @0", new BsonValue(word))))
            {
                candidates.TryAdd(doc["_id"].AsString, doc);
            }
        }

        var items = new List<MessageSummary>();
        var matched = 0;
        foreach (var doc in candidates.Values.OrderByDescending(d => d[StoreKeys.SortKey].AsString, StringComparer.Ordinal))
        {
            var summary = light ? _database.Documents.ToSearchableSummary(doc) : _database.Documents.ToSummary(doc);
            if (!filter(summary))
            {
                continue;
            }

            if (matched >= start && items.Count < limit)
            {
                items.Add(light ? _database.Documents.ToSummary(doc) : summary);
            }

            matched++;
        }

        return new Page<MessageSummary>(items, matched);
    }

    private Task<T> ReadAsync<T>(Func<T> read, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var generation = _database.Generation;
        try
        {
            return Task.FromResult(ReadGated(read));
        }
        catch (Exception ex) when ((ex is LiteException or ObjectDisposedException or IOException)
            && (_database.Generation != generation || _database.IsReopening))
        {
            // The writer is replacing the engine under this read (after a disk error): the new one has the same data.
            return RetryAsync(read, ex, cancellationToken);
        }
        catch (Exception ex) when (ex is LiteException or ObjectDisposedException or IOException)
        {
            return Task.FromException<T>(new StoreUnavailableException($"The message store could not be read: {ex.Message}", ex));
        }
    }

    /// <summary>Runs a read with the writer kept out (<see cref="EngineGate"/>); the read must materialise its results.</summary>
    private T ReadGated<T>(Func<T> read)
    {
        using var shared = _database.Gate.Read();
        return read();
    }

    private async Task<T> RetryAsync<T>(Func<T> read, Exception first, CancellationToken cancellationToken)
    {
        // Opening the file takes milliseconds; a second is generous and still far below any client timeout.
        for (var waited = 0; _database.IsReopening && waited < 1000; waited += 20)
        {
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return ReadGated(read);
        }
        catch (Exception ex) when (ex is LiteException or ObjectDisposedException or IOException)
        {
            throw new StoreUnavailableException($"The message store could not be read: {ex.Message}", new AggregateException(first, ex));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(3013, LogLevel.Warning, "{Count} sessions were still open in the store from a run that was killed or crashed; they are marked as cut")]
        public static partial void InterruptedSessionsClosed(ILogger logger, int count);

        [LoggerMessage(3014, LogLevel.Warning, "Sessions left open by a killed run could not be marked as cut")]
        public static partial void InterruptedSessionsNotClosed(ILogger logger, Exception exception);

        [LoggerMessage(3017, LogLevel.Information, "Storage file was mostly free space and was compacted at start-up: {Before} bytes before, {After} after")]
        public static partial void CompactedAtStartup(ILogger logger, long before, long after);

        [LoggerMessage(3018, LogLevel.Warning, "Storage file could not be compacted at start-up; it is used as it is")]
        public static partial void StartupCompactionFailed(ILogger logger, Exception exception);
    }
}
