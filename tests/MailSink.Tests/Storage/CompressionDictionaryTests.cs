using System.Text;
using JsonSerializer = System.Text.Json.JsonSerializer;
using LiteDB;
using MailSink.Domain;
using MailSink.Storage;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Storage;

/// <summary>
/// The store trains its own zstd dictionaries once it holds enough mail (issue 12's file size): mail stored before
/// and after reads back byte for byte, in this process and after a restart, and the dictionary makes the stored
/// messages smaller than plain zstd does.
/// </summary>
public sealed class CompressionDictionaryTests(StoreTestFolder folder) : IClassFixture<StoreTestFolder>
{
    /// <summary>Trained sooner than the default (5,000), so the test stays short.</summary>
    private const int Threshold = 1_000;

    private static CancellationToken Ct => CancellationToken.None;

    /// <summary>What an application's mail looks like: one template, other names and numbers.</summary>
    private static byte[] Templated(int n) => Encoding.UTF8.GetBytes(
        $"Received: from app-{n % 7}.internal (app-{n % 7}.internal [10.0.0.{n % 250}]) by mailsink with ESMTP id M{n:D8}\r\n" +
        $"From: Shop <orders@shop.example>\r\nTo: customer{n}@example.com\r\nSubject: Your order {n} has shipped\r\n" +
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n" +
        $"Message-ID: <order-{n}@shop.example>\r\nDate: Sun, 01 Mar 2026 12:00:00 +0200\r\n\r\n" +
        $"Hello customer {n},\r\n\r\nGood news: your order {n} left our warehouse today and is on its way. You can follow\r\n" +
        $"the parcel with tracking number TRK{n * 7919 % 1000003:D7} on our website at any time. If anything is wrong\r\n" +
        "with your order, reply to this message or call our support team, who are there for you every day from 8:00\r\n" +
        "to 20:00. Thank you for shopping with us, and we hope to see you again soon.\r\n\r\nThe Shop team\r\n");

    private static MessageSummary Summary(int n)
    {
        var summary = Message(n, subject: $"Your order {n} has shipped");
        summary.Snippet = $"Hello customer {n}, Good news: your order {n} left our warehouse today";
        summary.SearchText = Encoding.UTF8.GetString(Templated(n)).ToLowerInvariant();
        return summary;
    }

    [Fact]
    public async Task A_trained_store_reads_every_message_back_exactly_before_and_after_a_restart()
    {
        var path = folder.NewDatabaseFile();
        var count = Threshold + 200;
        await using (var store = Open(path))
        {
            store.DictionaryThreshold = Threshold;
            for (var n = 1; n <= Threshold; n++)
            {
                await store.AddMessageAsync(Summary(n), Templated(n), Ct);
            }

            // The next message starts the training; the ones after it are compressed with the dictionaries.
            await store.AddMessageAsync(Summary(Threshold + 1), Templated(Threshold + 1), Ct);
            await store.DictionaryTraining;
            for (var n = Threshold + 2; n <= count; n++)
            {
                await store.AddMessageAsync(Summary(n), Templated(n), Ct);
            }

            await AssertAllReadBackAsync(store, count);
        }

        await using (var reopened = Open(path))
        {
            await AssertAllReadBackAsync(reopened, count);
        }

        using var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        Assert.Equal(2, db.GetCollection(CompressionDictionaries.Collection).Count());
        var raw = db.GetCollection(StoreKeys.Raw);
        var before = raw.FindById(Message(10).Id);
        var after = raw.FindById(Message(count).Id);
        Assert.False(before.ContainsKey("zd"));
        Assert.True(after["zd"].IsInt32);
        Assert.False(db.GetCollection(StoreKeys.Messages).FindById(Message(10).Id).ContainsKey("x_vd"));
        Assert.True(db.GetCollection(StoreKeys.Messages).FindById(Message(count).Id)["x_vd"].IsInt32);

        // The point of it: the same kind of message takes less room with the dictionary than plain zstd gives it.
        var plain = RawCompression.Pack(Templated(count)).Stored.Length;
        Assert.True(after["len"].AsInt32 < plain * 3 / 4, $"with the dictionary {after["len"].AsInt32} bytes, plain zstd {plain}");
    }

    [Fact]
    public async Task A_memory_store_trains_too_and_a_delete_all_starts_afresh()
    {
        await using var store = Open("memory");
        store.DictionaryThreshold = Threshold;
        for (var n = 1; n <= Threshold + 1; n++)
        {
            await store.AddMessageAsync(Summary(n), Templated(n), Ct);
        }

        await store.DictionaryTraining;
        await store.AddMessageAsync(Summary(5_000), Templated(5_000), Ct);
        Assert.Equal(Templated(5_000), await store.GetRawAsync(Message(5_000).Id, Ct));

        // The emptied memory store is a new database: no dictionary, and new mail is stored without one.
        await store.DeleteMessagesAsync(null, Ct);
        await store.AddMessageAsync(Summary(6_000), Templated(6_000), Ct);
        Assert.Equal(Templated(6_000), await store.GetRawAsync(Message(6_000).Id, Ct));
        Assert.Equal(JsonSerializer.Serialize(Summary(6_000)), JsonSerializer.Serialize(await store.GetMessageAsync(Message(6_000).Id, Ct)));
    }

    [Fact]
    public async Task A_store_whose_summaries_predate_the_packed_view_trains_the_raw_dictionary_alone()
    {
        var path = folder.NewDatabaseFile();
        const int count = 300;
        await using (var store = Open(path))
        {
            for (var n = 1; n <= count; n++)
            {
                await store.AddMessageAsync(Summary(n), Templated(n), Ct);
            }
        }

        // As a file of an earlier version holds them: every field as mapped, no packed view to sample.
        using (var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct }, StoreMapper.Create()))
        {
            var messages = db.GetCollection(StoreKeys.Messages);
            foreach (var n in Enumerable.Range(1, count))
            {
                var old = messages.FindById(Message(n).Id);
                old.Remove("x_view");
                old.Remove("x_vl");
                foreach (var (key, value) in StoreMapper.Create().ToDocument(Summary(n)))
                {
                    old[key] = value;
                }

                messages.Update(old);
            }
        }

        await using (var store = Open(path))
        {
            store.DictionaryThreshold = 200;
            await store.AddMessageAsync(Summary(count + 1), Templated(count + 1), Ct);
            await store.DictionaryTraining;
            await store.AddMessageAsync(Summary(count + 2), Templated(count + 2), Ct);
            Assert.Equal(Templated(count + 2), await store.GetRawAsync(Message(count + 2).Id, Ct));
            Assert.Equal(JsonSerializer.Serialize(Summary(7)), JsonSerializer.Serialize(await store.GetMessageAsync(Message(7).Id, Ct)));
        }

        using var check = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        Assert.Equal(["raw"], check.GetCollection(CompressionDictionaries.Collection).FindAll().Select(d => d["kind"].AsString));
        Assert.True(check.GetCollection(StoreKeys.Raw).FindById(Message(count + 2).Id)["zd"].IsInt32);
    }

    private static async Task AssertAllReadBackAsync(LiteDbMailStore store, int count)
    {
        for (var n = 1; n <= count; n += n < Threshold - 5 ? 37 : 1)
        {
            Assert.Equal(Templated(n), await store.GetRawAsync(Message(n).Id, Ct));
            Assert.Equal(JsonSerializer.Serialize(Summary(n)), JsonSerializer.Serialize(await store.GetMessageAsync(Message(n).Id, Ct)));
        }
    }
}
