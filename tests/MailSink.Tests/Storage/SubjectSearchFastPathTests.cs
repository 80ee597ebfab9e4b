using System.Text.Json;
using MailSink.Domain;
using MailSink.Search;
using MailSink.Storage;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Storage;

/// <summary>
/// The subject-word search reads its candidates with only the fields the filter reads and then the page whole
/// (issue 12: a million messages under 300 ms). Whatever it skips must not change the answer: for each query the page,
/// the total, the unread tally the search API keeps and every field of every returned summary are what the scan over
/// whole summaries gives. Subjects hold case-mapping edges (dotless i, long s, the Kelvin sign, final sigma, a
/// surrogate-pair alphabet), terms inside longer words, and messages differ in every field a term can read.
/// </summary>
public sealed class SubjectSearchFastPathTests(StoreTestFolder folder) : IClassFixture<StoreTestFolder>
{
    private static readonly string[] Subjects =
    [
        "Quarterly report", "QUARTERLYREPORT draft", "semiquarterly numbers", "kıtten pictures", "KITTEN pictures",
        "ſtraße update", "STRASSE update", "\u212Aelvin scale", "kelvin scale", "ΟΔΟΣ news", "οδος news",
        "\U00010400\U00010428 deseret", "\U00010428\U00010428 deseret", "İstanbul trip", "istanbul trip", "quarterly-2026 plan",
    ];

    public static TheoryData<string> Queries => new()
    {
        "subject:quarterly", "subject:QUARTERLY", "subject:arterl", "subject:quarterly -subject:report",
        "subject:kitten", "subject:KİTTEN", "subject:ıtt", "subject:strasse", "subject:straße", "subject:ſ", "subject:kelvin",
        "subject:\u212A", "subject:ΟΔΟς", "subject:οδοσ", "subject:\U00010428", "subject:\U00010400", "subject:istanbul",
        "subject:İstanbul", "subject:\"quarterly-2026\"",
        "subject:quarterly is:read", "subject:quarterly is:unread", "subject:quarterly from:carol", "subject:quarterly -from:carol",
        "subject:quarterly to:dave", "subject:quarterly cc:erin", "subject:quarterly bcc:frank", "subject:quarterly reply-to:gina",
        "subject:quarterly addressed:gina", "subject:quarterly tag:urgent", "subject:quarterly is:tagged",
        "subject:quarterly has:attachment", "subject:quarterly has:inline", "subject:quarterly larger:150", "subject:quarterly smaller:150",
        "subject:quarterly message-id:odd", "subject:quarterly before:2026-03-01T10:00:10Z", "subject:quarterly after:2026-03-01T10:00:10Z",
        "subject:quarterly pictures", "subject:quarterly snippet-only-word", "subject:quarterly -numbers",
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task The_fast_path_gives_the_scans_page_total_tally_and_whole_summaries(string text)
    {
        await using var store = Open(folder.NewDatabaseFile());
        for (var i = 0; i < Subjects.Length * 3; i++)
        {
            await store.AddMessageAsync(Varied(i), Raw(i + 1), CancellationToken.None);
        }

        await store.SetReadAsync(["M00000002", "M00000019", "M00000033"], true, CancellationToken.None);
        await store.SetTagsAsync(["M00000001", "M00000017"], ["urgent"], CancellationToken.None);
        var query = SearchQuery.Parse(text);

        foreach (var (start, limit) in new[] { (0, 100), (1, 2), (3, 5) })
        {
            var (scanned, scannedUnread) = await ListAsync(store, start, limit, query, indexed: false);
            var (indexed, indexedUnread) = await ListAsync(store, start, limit, query, indexed: true);
            Assert.Equal(scanned.Total, indexed.Total);
            Assert.Equal(scannedUnread, indexedUnread);
            Assert.Equal(scanned.Items.Select(Json), indexed.Items.Select(Json));
        }
    }

    [Fact]
    public async Task The_fixture_gives_the_fast_path_something_to_get_wrong()
    {
        // Guards the theory above from passing vacuously: the queries do match messages, and the summaries returned
        // carry what the projection leaves out (the packed view, addresses, attachments).
        await using var store = Open(folder.NewDatabaseFile());
        for (var i = 0; i < Subjects.Length * 3; i++)
        {
            await store.AddMessageAsync(Varied(i), Raw(i + 1), CancellationToken.None);
        }

        var query = SearchQuery.Parse("subject:quarterly has:attachment");
        var (page, _) = await ListAsync(store, 0, 100, query, indexed: true);
        Assert.NotEmpty(page.Items);
        Assert.All(page.Items, m =>
        {
            Assert.NotEmpty(m.Snippet);
            Assert.NotEmpty(m.SearchText);
            Assert.NotEmpty(m.Warnings);
            Assert.NotEmpty(m.Attachments);
            Assert.NotEmpty(m.To);
        });
    }

    [Fact]
    public async Task A_file_whose_vocabulary_predates_spellings_scans_and_finds_every_spelling()
    {
        var path = folder.NewDatabaseFile();
        await using (var store = Open(path))
        {
            await store.AddMessageAsync(Varied(8), Raw(1), CancellationToken.None);
            await store.AddMessageAsync(Varied(7), Raw(2), CancellationToken.None);
        }

        // What the vocabulary of a file made before spellings were kept holds: the first spelling only.
        using (var db = new LiteDB.LiteDatabase(new LiteDB.ConnectionString { Filename = path, Connection = LiteDB.ConnectionType.Direct }))
        {
            var words = db.GetCollection(SubjectWords.Collection);
            Assert.Contains(words.FindAll(), w => w.ContainsKey(SubjectWords.AliasesField));
            words.Delete(SubjectWords.AliasMarker);
            foreach (var word in words.FindAll().ToList())
            {
                word.Remove(SubjectWords.AliasesField);
                words.Update(word);
            }
        }

        await using (var store = Open(path))
        {
            var query = SearchQuery.Parse("subject:K");
            var page = await store.ListMessagesAsync(0, 10, query, query.Predicate, CancellationToken.None);
            Assert.Equal(["M00000008"], page.Items.Select(m => m.Id));
        }
    }

    /// <summary>What the search API does: the query's predicate plus a tally of the unread matches.</summary>
    private static async Task<(Page<MessageSummary> Page, int Unread)> ListAsync(
        LiteDbMailStore store, int start, int limit, SearchQuery query, bool indexed)
    {
        var unread = 0;
        bool Filter(MessageSummary m)
        {
            if (!query.Matches(m))
            {
                return false;
            }

            if (!m.Read)
            {
                Interlocked.Increment(ref unread);
            }

            return true;
        }

        var page = indexed
            ? await store.ListMessagesAsync(start, limit, query, Filter, CancellationToken.None)
            : await store.ListMessagesAsync(start, limit, Filter, CancellationToken.None);
        return (page, unread);
    }

    private static string Json(MessageSummary summary) => JsonSerializer.Serialize(summary);

    private static MessageSummary Varied(int i)
    {
        var message = Message(i + 1, subject: Subjects[i % Subjects.Length], from: i % 4 == 0 ? "carol@example.com" : "alice@example.com");
        message.To = i % 3 == 0 ? [new EmailAddress("Dave", "dave@example.com")] : message.To;
        message.Cc = i % 5 == 0 ? [new EmailAddress("", "erin@example.com")] : [];
        message.Bcc = i % 6 == 0 ? [new EmailAddress("", "frank@example.com")] : [];
        message.ReplyTo = i % 7 == 0 ? [new EmailAddress("Gina", "gina@example.com")] : [];
        message.MessageId = i % 2 == 0 ? $"odd-{i}@example.com" : null;
        message.Size = 100 + (i * 7 % 100);
        message.ReceivedAt = new DateTimeOffset(2026, 3, 1, 10, 0, i, TimeSpan.Zero);
        message.Attachments = i % 3 == 1 ? [new AttachmentInfo { PartId = "2", FileName = "a.pdf", ContentType = "application/pdf", Size = 10 }] : [];
        message.Inlines = i % 4 == 1 ? [new AttachmentInfo { PartId = "3", ContentType = "image/png", ContentId = "c1", Inline = true }] : [];
        message.Snippet = $"snippet {i}";
        message.Warnings = [$"warning {i}"];
        message.SearchText = $"{message.Subject} {(i % 2 == 0 ? "snippet-only-word" : "")}".ToLowerInvariant();
        return message;
    }
}
