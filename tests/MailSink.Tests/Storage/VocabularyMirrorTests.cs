using MailSink.Search;
using MailSink.Storage;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Storage;

/// <summary>
/// The subject-word vocabulary kept in memory for searches (<see cref="VocabularyMirror"/>) and the choice of the run
/// with the fewest messages (<see cref="FewestCandidates"/>): a word first seen after the mirror was loaded is still
/// found, a mirror past its capacity gives way to the vocabulary, and a term of several runs reads the rarest one.
/// </summary>
public sealed class VocabularyMirrorTests(StoreTestFolder folder) : IClassFixture<StoreTestFolder>
{
    [Fact]
    public async Task A_word_first_seen_after_a_search_is_found_by_the_next_one()
    {
        await using var store = Open(folder.NewDatabaseFile());
        await store.AddMessageAsync(Message(1, subject: "alpha report"), Raw(1), CancellationToken.None);
        Assert.Equal(1, (await SearchAsync(store, "subject:alpha")).Total);

        // The mirror is loaded now; these words reach it only through the writer's commit.
        await store.AddMessageAsync(Message(2, subject: "zebra-42 crossing"), Raw(2), CancellationToken.None);
        await store.AddMessageAsync(Message(3, subject: "zebra-43 crossing"), Raw(3), CancellationToken.None);

        Assert.Equal(["M00000003", "M00000002"], (await SearchAsync(store, "subject:zebra")).Items.Select(m => m.Id));
        Assert.Equal(["M00000002"], (await SearchAsync(store, "subject:\"zebra-42\"")).Items.Select(m => m.Id));
        Assert.Equal(["M00000003"], (await SearchAsync(store, "subject:43 subject:cross")).Items.Select(m => m.Id));
    }

    [Fact]
    public void A_mirror_past_its_capacity_gives_way_to_the_vocabulary()
    {
        using var database = MailDatabase.OpenStream(new MemoryStream());
        SubjectWords.Record(database, ["ALPHA", "BETA", "GAMMA"]);

        Assert.Equal(["ALPHA"], new VocabularyMirror(capacity: 3).Containing(database, "LPH"));
        Assert.Null(new VocabularyMirror(capacity: 2).Containing(database, "LPH"));
        Assert.Equal(["ALPHA"], SubjectWords.Containing(database, "LPH"));

        var mirror = new VocabularyMirror(capacity: 4);
        Assert.NotNull(mirror.Containing(database, "A"));
        mirror.Committed(["DELTA", "EPSILON"]);
        Assert.Null(mirror.Containing(database, "A"));
    }

    [Fact]
    public async Task A_term_of_several_runs_reads_the_messages_of_its_rarest_one()
    {
        var (database, store) = OpenInMemory();
        await using var _ = store;
        for (var i = 1; i <= 300; i++)
        {
            await store.AddMessageAsync(Message(i, subject: $"latency-{i}"), Raw(i), CancellationToken.None);
        }

        using (database.Gate.Read())
        {
            // LATENCY is the longer run but in every subject; the words containing 42 are 42 and 142, 242.
            Assert.Equal(3, Candidates(database, ["LATENCY", "42"]).Count);
            Assert.Equal(300, Candidates(database, ["LATENCY"]).Count);
            Assert.Empty(Candidates(database, ["LATENCY", "NOWHERE"]));
        }

        Assert.Equal(["M00000042"], (await SearchAsync(store, "subject:\"latency-42\"")).Items.Select(m => m.Id));
        Assert.Equal(3, (await SearchAsync(store, "subject:\"latency-\" subject:42")).Total);
    }

    [Fact]
    public async Task A_run_of_two_common_words_races_a_run_of_many_rare_ones()
    {
        // REPORT (the words REPORT and REPORTS, 200 messages each) against 4 (4, 14, 24, ... 394: 77 words of a message
        // each): their cursors open and close at different times, and the run of many words still wins with its own.
        var (database, store) = OpenInMemory();
        await using var _ = store;
        for (var i = 1; i <= 400; i++)
        {
            await store.AddMessageAsync(Message(i, subject: $"{(i % 2 == 0 ? "report" : "reports")}-{i}"), Raw(i), CancellationToken.None);
        }

        using (database.Gate.Read())
        {
            var candidates = Candidates(database, ["REPORT", "4"]);
            Assert.Equal(Enumerable.Range(1, 400).Count(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture).Contains('4')), candidates.Count);
        }
    }

    [Fact]
    public async Task Searches_of_several_runs_during_ingest_and_checkpoints_find_what_the_scan_finds()
    {
        // Each race holds one explicit read transaction across its cursors, on the search's own thread, while the
        // writer commits and checkpoints between searches: none may fail, and once ingest stops both paths agree.
        await using var store = Open(folder.NewDatabaseFile(), batchSize: 8);
        var writes = Task.Run(async () =>
        {
            for (var i = 1; i <= 400; i++)
            {
                await store.AddMessageAsync(Message(i, subject: $"latency-{i} report"), Raw(i), CancellationToken.None);
            }
        });

        var searches = Enumerable.Range(0, 4).Select(k => Task.Run(async () =>
        {
            var n = 0;
            while (!writes.IsCompleted)
            {
                var page = await SearchAsync(store, $"subject:\"latency-{(n++ * 7 + k) % 400 + 1} rep\"");
                Assert.True(page.Total <= 1, $"{page.Total} matches for one number");
            }
        })).ToList();
        await Task.WhenAll([writes, .. searches]);

        foreach (var text in new[] { "subject:\"latency-42 rep\"", "subject:\"latency-4\"", "subject:\"y-1\" subject:report" })
        {
            var query = SearchQuery.Parse(text);
            var scanned = await store.ListMessagesAsync(0, 100, query.Predicate, CancellationToken.None);
            var indexed = await SearchAsync(store, text);
            Assert.Equal(scanned.Items.Select(m => m.Id), indexed.Items.Select(m => m.Id));
            Assert.Equal(scanned.Total, indexed.Total);
            Assert.NotEmpty(indexed.Items);
        }
    }

    /// <summary>A store over an in-memory database the test can also read directly (under its read gate).</summary>
    private static (MailDatabase Database, LiteDbMailStore Store) OpenInMemory()
    {
        var database = MailDatabase.OpenStream(new MemoryStream());
        return (database, new LiteDbMailStore(
            database, 256, new MailSink.Domain.MailboxEvents(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
    }

    private static Task<Page<MailSink.Domain.MessageSummary>> SearchAsync(LiteDbMailStore store, string text)
    {
        var query = SearchQuery.Parse(text);
        return store.ListMessagesAsync(0, 100, query, query.Predicate, CancellationToken.None);
    }

    /// <summary>The candidates <see cref="FewestCandidates"/> hands over for <paramref name="runs"/>, read whole.</summary>
    private static List<LiteDB.BsonDocument> Candidates(MailDatabase database, string[] runs)
    {
        var candidates = new List<LiteDB.BsonDocument>();
        FewestCandidates.Read(database, runs, projection: null, candidates.Add, CancellationToken.None);
        return candidates;
    }
}
