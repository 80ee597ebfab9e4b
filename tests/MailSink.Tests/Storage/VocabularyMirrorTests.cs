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
        var database = MailDatabase.OpenStream(new MemoryStream());
        await using var store = new LiteDbMailStore(
            database, 256, new MailSink.Domain.MailboxEvents(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        for (var i = 1; i <= 300; i++)
        {
            await store.AddMessageAsync(Message(i, subject: $"latency-{i}"), Raw(i), CancellationToken.None);
        }

        using (database.Gate.Read())
        {
            // LATENCY is the longer run but in every subject; the words containing 42 are 42 and 142, 242.
            Assert.Equal(3, FewestCandidates.Read(database, ["LATENCY", "42"], projection: null, CancellationToken.None).Count);
            Assert.Equal(300, FewestCandidates.Read(database, ["LATENCY"], projection: null, CancellationToken.None).Count);
            Assert.Empty(FewestCandidates.Read(database, ["LATENCY", "NOWHERE"], projection: null, CancellationToken.None));
        }

        Assert.Equal(["M00000042"], (await SearchAsync(store, "subject:\"latency-42\"")).Items.Select(m => m.Id));
        Assert.Equal(3, (await SearchAsync(store, "subject:\"latency-\" subject:42")).Total);
    }

    private static Task<Page<MailSink.Domain.MessageSummary>> SearchAsync(LiteDbMailStore store, string text)
    {
        var query = SearchQuery.Parse(text);
        return store.ListMessagesAsync(0, 100, query, query.Predicate, CancellationToken.None);
    }
}
