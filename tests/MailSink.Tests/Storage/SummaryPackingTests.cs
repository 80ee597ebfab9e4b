using JsonSerializer = System.Text.Json.JsonSerializer;
using LiteDB;
using MailSink.Diagnostics;
using MailSink.Domain;
using MailSink.Search;
using MailSink.Storage;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Storage;

/// <summary>
/// The view-only fields of a summary (search text, Received chain, warnings, checks, snippet) are stored as one
/// compressed BSON document (issue 12's file size) and come back exactly; summaries in the earlier layouts read as
/// they are.
/// </summary>
public sealed class SummaryPackingTests(StoreTestFolder folder) : IClassFixture<StoreTestFolder>
{
    private static CancellationToken Ct => CancellationToken.None;

    private static MessageSummary Rich(int n)
    {
        var summary = Message(n, subject: "Quarterly report");
        summary.Snippet = "Hello Bob, here is the quarterly report you asked for.";
        summary.Warnings = ["Bare LF in line 3", "Date header in the future"];
        summary.ReceivedChain =
        [
            new ReceivedHop { Index = 0, Raw = "from client.example by mailsink with ESMTP", From = "client.example", By = "mailsink", With = "ESMTP" },
            new ReceivedHop { Index = 1, Raw = "from relay.example by client.example with ESMTPS", From = "relay.example", By = "client.example", With = "ESMTPS", Tls = "TLSv1.3" },
        ];
        summary.Checks = new MessageChecks { AuthenticationResults = "mailsink; spf=none smtp.mailfrom=alice@example.com; dkim=none" };
        summary.SearchText = string.Concat(Enumerable.Range(0, 100).Select(i => $"quarterly line {i} alice@example.com "));
        return summary;
    }

    [Fact]
    public async Task Fields_at_their_defaults_are_left_out_and_read_back_as_defaults()
    {
        var path = folder.NewDatabaseFile();
        var original = Message(1);
        Assert.Empty(original.Cc);
        Assert.False(original.HasHtml);
        await using (var store = Open(path))
        {
            await store.AddMessageAsync(original, Raw(1), Ct);
            Assert.Equal(JsonSerializer.Serialize(original), JsonSerializer.Serialize(await store.GetMessageAsync(original.Id, Ct)));
            Assert.Equal(1, (await store.GetStatsAsync(Ct)).Unread);
        }

        using var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        var doc = db.GetCollection(StoreKeys.Messages).FindById(original.Id);
        foreach (var field in new[] { "Cc", "Bcc", "ReplyTo", "Attachments", "Inlines", "HasHtml" })
        {
            Assert.False(doc.ContainsKey(field), field);
        }

        // Kept whatever their values: the unread query and the tag queries read them.
        Assert.False(doc["Read"].AsBoolean);
        Assert.True(doc["Tags"].IsArray);
        Assert.Equal(1, db.GetCollection(StoreKeys.Messages).Count("$.Read = false"));
    }

    [Fact]
    public async Task View_fields_are_packed_in_one_compressed_field_and_read_back_exactly()
    {
        var path = folder.NewDatabaseFile();
        var original = Rich(1);
        await using (var store = Open(path))
        {
            await store.AddMessageAsync(original, Raw(1), Ct);
            Assert.Equal(JsonSerializer.Serialize(original), JsonSerializer.Serialize(await store.GetMessageAsync(original.Id, Ct)));

            // Searches that read the packed fields: a plain word reads the search text, subject: the light summary.
            foreach (var text in new[] { "line 42", "subject:quarterly" })
            {
                var query = SearchQuery.Parse(text);
                Assert.Equal(1, (await store.ListMessagesAsync(0, 10, query, query.Predicate, Ct)).Total);
            }
        }

        using var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        var doc = db.GetCollection(StoreKeys.Messages).FindById(original.Id);
        Assert.True(doc["x_view"].IsBinary);
        foreach (var field in new[] { "SearchText", "ReceivedChain", "Warnings", "Checks", "Snippet" })
        {
            Assert.False(doc.ContainsKey(field), field);
        }

        Assert.True(doc["x_view"].AsBinary.Length < original.SearchText.Length / 4, $"{doc["x_view"].AsBinary.Length} bytes");
    }

    [Fact]
    public async Task Summaries_in_earlier_layouts_are_read_as_they_are()
    {
        var path = folder.NewDatabaseFile();
        var plain = Rich(1);
        var packedText = Rich(2);
        await using (var store = Open(path))
        {
            await store.AddMessageAsync(plain, Raw(1), Ct);
            await store.AddMessageAsync(packedText, Raw(2), Ct);
        }

        using (var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct }, StoreMapper.Create()))
        {
            var messages = db.GetCollection(StoreKeys.Messages);

            // Before any packing: every field as mapped, the search text a string.
            var old = messages.FindById(plain.Id);
            old.Remove("x_view");
            old.Remove("x_vl");
            foreach (var (key, value) in StoreMapper.Create().ToDocument(plain))
            {
                old[key] = value;
            }

            messages.Update(old);

            // Then: the search text alone compressed, with its length in x_stl.
            var middle = messages.FindById(packedText.Id);
            middle.Remove("x_view");
            middle.Remove("x_vl");
            foreach (var (key, value) in StoreMapper.Create().ToDocument(packedText))
            {
                middle[key] = value;
            }

            var bytes = System.Text.Encoding.UTF8.GetBytes(packedText.SearchText);
            var (stored, length) = RawCompression.Pack(bytes);
            middle["SearchText"] = stored;
            middle[StoreKeys.SearchTextLength] = length;
            messages.Update(middle);
        }

        await using var reopened = Open(path);
        Assert.Equal(JsonSerializer.Serialize(plain), JsonSerializer.Serialize(await reopened.GetMessageAsync(plain.Id, Ct)));
        Assert.Equal(JsonSerializer.Serialize(packedText), JsonSerializer.Serialize(await reopened.GetMessageAsync(packedText.Id, Ct)));
        var query = SearchQuery.Parse("line 42");
        Assert.Equal(2, (await reopened.ListMessagesAsync(0, 10, query, query.Predicate, Ct)).Total);
    }
}
