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
    /// <summary>What the web inbox asks for first (web-ui's PAGE_SIZE); the Mailpit and MailHog UIs ask for 50.</summary>
    private const int FirstPageSize = 100;

    private readonly MailDatabase _database;
    private readonly StoreCounters _counters = new();
    private readonly LiteDbQueries _queries;
    private readonly MessageWriteQueue _writes;
    private readonly DictionaryTrainer _trainer;
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
        RemoveOrphanFiles(database, logger);
        _counters.Recount(database);
        _queries = new LiteDbQueries(database, _counters);
        _writes = new MessageWriteQueue(database, _counters, events, timeProvider, writeBatchSize, logger);
        _trainer = new DictionaryTrainer(database, _counters, _writes, logger);

        // First in the queue, so no session of this run (saved with its first message) can be taken for an old one.
        _ = CloseInterruptedSessionsAsync(logger);
        FirstPageRead = Task.Run(() => ReadFirstPage(logger));
    }

    /// <summary>The start-up's own read of the inbox's first page (see <see cref="ReadFirstPage"/>).</summary>
    internal Task FirstPageRead { get; }

    public Task AddMessageAsync(MessageSummary summary, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken) =>
        AddMessageAsync(summary, raw, null, cancellationToken);

    public Task AddMessageAsync(MessageSummary summary, ReadOnlyMemory<byte> raw, SessionRecord? session, CancellationToken cancellationToken) =>
        AddMessageAsync(summary, raw, owned: null, session, cancellationToken);

    public Task AddOwnedMessageAsync(MessageSummary summary, byte[] raw, SessionRecord? session, CancellationToken cancellationToken) =>
        AddMessageAsync(summary, raw, owned: raw, session, cancellationToken);

    private Task AddMessageAsync(MessageSummary summary, ReadOnlyMemory<byte> raw, byte[]? owned, SessionRecord? session, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(summary.Id);
        _trainer.MaybeStart();

        if (LargeRaws.Takes(summary.Id, raw.Length))
        {
            return AddLargeMessageAsync(summary, raw, owned, session, cancellationToken);
        }

        // Copied now unless handed over: the caller's buffer is only valid until it stops waiting,
        // and a cancelled wait may leave this write queued behind it.
        var bytes = owned ?? raw.ToArray();
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
        Func<WriteContext, List<MailboxEvent>, bool> save = (context, events) =>
        {
            MailMutations.SaveSession(context, session);
            if (session.Outcome != SessionOutcome.Open)
            {
                events.Add(new SessionClosed(SessionSummary.From(session)));
            }

            return true;
        };

        // A closed session's save answers no client (the connection is gone): it may ride with the next message's commit.
        return session.Outcome == SessionOutcome.Open
            ? _writes.EnqueueAsync(save, cancellationToken)
            : _writes.EnqueueUnhurriedAsync(save, cancellationToken);
    }

    public Task<MessageSummary?> GetMessageAsync(string id, CancellationToken cancellationToken) =>
        ReadAsync(() => _database.Messages.FindById(id) is { } doc ? _database.Documents.ToSummary(doc) : null, cancellationToken);

    public Task<MessageSummary?> GetLatestAsync(CancellationToken cancellationToken) =>
        ReadAsync(
            () => LiteDbQueries.NewestFirst(_database.Messages).Limit(1).ToDocuments().Select(_database.Documents.ToSummary).FirstOrDefault(),
            cancellationToken);

    public Task<byte[]?> GetRawAsync(string id, CancellationToken cancellationToken) =>
        ReadAsync(() => RawChunks.Read(_database.Raw, id, _database.Documents.Dictionaries, _database.Files), cancellationToken);

    public Task<Stream?> OpenRawAsync(string id, CancellationToken cancellationToken) =>
        ReadAsync(() => RawChunks.Open(_database.Raw, id, _database.Documents.Dictionaries, _database.Files), cancellationToken);

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
                    var items = _queries.Page(start, limit);
                    return new Page<MessageSummary>(items, _counters.Total);
                },
                cancellationToken);
        }

        // Testing every summary can take a while on a large store: off the caller's thread.
        return OffThreadPoolAsync(() => ReadAsync(() => _queries.Scan(start, limit, filter, cancellationToken), cancellationToken), cancellationToken);
    }

    public Task<Page<MessageSummary>> ListMessagesAsync(
        int start, int limit, Search.SearchQuery query, Func<MessageSummary, bool> filter, CancellationToken cancellationToken)
    {
        if (SubjectWords.IndexableRuns(query) is not { Count: > 0 } runs)
        {
            return ListMessagesAsync(start, limit, filter, cancellationToken);
        }

        return OffThreadPoolAsync(
            () => ReadAsync(
                () => SubjectWords.IsComplete(_database)
                    ? _queries.IndexedSearch(runs, query, Math.Max(0, start), Math.Max(0, limit), filter, cancellationToken)
                    : _queries.Scan(Math.Max(0, start), Math.Max(0, limit), filter, cancellationToken),
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
                var items = LiteDbQueries.NewestFirst(_database.Sessions).Skip(Math.Max(0, start)).Limit(Math.Max(0, limit))
                    .ToDocuments().Select(_database.Documents.ToSessionSummary).ToList();
                return new Page<SessionSummary>(items, _database.Sessions.Count());
            },
            cancellationToken);

    /// <summary>
    /// From the writer's counters and the file sizes, outside the read gate: every list request, /readyz and each
    /// hub push's stats asked for it, and each waited behind the writer's commit or checkpoint (up to ~80 ms) and
    /// then walked the sessions index (issue 12).
    /// </summary>
    public Task<StoreStats> GetStatsAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<StoreStats>(cancellationToken);
        }

        return Task.FromResult(new StoreStats(_counters.Total, _counters.Unread, _database.SizeInBytes(), _counters.Sessions)
        {
            WritesRefused = _writes.RefusalReason(),
        });
    }

    /// <summary>The dictionary training started last (tests wait for it).</summary>
    internal Task DictionaryTraining => _trainer.Completion;

    /// <summary>Messages stored before the zstd dictionaries are trained (tests make it small).</summary>
    internal int DictionaryThreshold
    {
        get => _trainer.Threshold;
        set => _trainer.Threshold = value;
    }

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

        // The first-page read must be done with the gate before the database closes it: a reader still waiting
        // for it then made its disposal throw, and the read went on against a closed engine.
        await FirstPageRead.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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

    private static partial class Log
    {
        [LoggerMessage(3013, LogLevel.Warning, "{Count} sessions were still open in the store from a run that was killed or crashed; they are marked as cut")]
        public static partial void InterruptedSessionsClosed(ILogger logger, int count);

        [LoggerMessage(3014, LogLevel.Warning, "Sessions left open by a killed run could not be marked as cut")]
        public static partial void InterruptedSessionsNotClosed(ILogger logger, Exception exception);

        [LoggerMessage(3022, LogLevel.Debug, "The inbox's first page could not be read ahead at start-up")]
        public static partial void FirstPageNotRead(ILogger logger, Exception exception);

        [LoggerMessage(3017, LogLevel.Information, "Storage file was mostly free space and was compacted at start-up: {Before} bytes before, {After} after")]
        public static partial void CompactedAtStartup(ILogger logger, long before, long after);

        [LoggerMessage(3019, LogLevel.Warning, "{Count} raw message files no stored message references (a write cut short by a crash or refused) were removed at start-up from {Folder}")]
        public static partial void OrphanFilesRemoved(ILogger logger, int count, string folder);

        [LoggerMessage(3018, LogLevel.Warning, "Storage file could not be compacted at start-up; it is used as it is")]
        public static partial void StartupCompactionFailed(ILogger logger, Exception exception);
    }
}
