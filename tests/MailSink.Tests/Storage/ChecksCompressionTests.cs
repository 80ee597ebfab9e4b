using LiteDB;
using MailSink.Diagnostics;
using MailSink.Storage;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Storage;

/// <summary>
/// A summary's checks are stored zstd-compressed with the other view-only fields (MailDocuments' x_view), so a 5 KB
/// message's summary is well under a third of a LiteDB page (issue 12: at 3.8 KB each took a page of its own), and
/// summaries stored before are still read.
/// </summary>
public sealed class ChecksCompressionTests(StoreTestFolder folder) : IClassFixture<StoreTestFolder>
{
    private static CancellationToken Ct => CancellationToken.None;

    private static MessageChecks Checks() => new()
    {
        AuthenticationResults = "Authentication-Results: mailsink.test;\r\n\tdkim=none (no signature);\r\n\tspf=none smtp.mailfrom=example.com",
        Findings = Enumerable.Range(0, 12).Select(i => new Finding
        {
            Code = $"header.finding{i}",
            Severity = FindingSeverity.Warning,
            Area = FindingArea.Headers,
            Message = $"Finding {i}: the message has no List-Unsubscribe header, which bulk senders must add (RFC 8058).",
        }).ToList(),
        Counts = new FindingCounts { Warning = 12 },
    };

    [Fact]
    public async Task Checks_are_stored_compressed_and_read_back_whole()
    {
        var path = folder.NewDatabaseFile();
        var summary = Message(1);
        summary.Checks = Checks();
        await using (var store = Open(path))
        {
            await store.AddMessageAsync(summary, Raw(1), Ct);
            AssertSameChecks(summary.Checks, (await store.GetMessageAsync(summary.Id, Ct))!.Checks);
        }

        using var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        var doc = db.GetCollection(StoreKeys.Messages).FindById(summary.Id);
        Assert.False(doc.ContainsKey("Checks"));
        Assert.True(doc["x_view"].IsBinary);
        Assert.True(BsonSerializer.Serialize(doc).Length < 8192 * 3 / 10, $"the summary is {BsonSerializer.Serialize(doc).Length} bytes");
    }

    [Fact]
    public async Task A_summary_stored_with_plain_checks_by_an_earlier_version_is_read_as_it_is()
    {
        var path = folder.NewDatabaseFile();
        var summary = Message(1);
        summary.Checks = Checks();
        await using (var store = Open(path))
        {
            await store.AddMessageAsync(summary, Raw(1), Ct);
        }

        using (var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct }, StoreMapper.Create()))
        {
            // What versions before compression wrote: every field as mapped, the checks a document.
            var messages = db.GetCollection(StoreKeys.Messages);
            var doc = messages.FindById(summary.Id);
            doc.Remove("x_view");
            doc.Remove("x_vl");
            foreach (var (key, value) in StoreMapper.Create().ToDocument(summary))
            {
                doc[key] = value;
            }

            messages.Update(doc);
        }

        await using var reopened = Open(path);
        AssertSameChecks(summary.Checks, (await reopened.GetMessageAsync(summary.Id, Ct))!.Checks);
    }

    private static void AssertSameChecks(MessageChecks expected, MessageChecks? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.AuthenticationResults, actual.AuthenticationResults);
        Assert.Equal(expected.Findings.Select(f => (f.Code, f.Message, f.Severity)), actual.Findings.Select(f => (f.Code, f.Message, f.Severity)));
        Assert.Equal(12, actual.Counts.Warning);
    }
}
