using LiteDB;
using MailSink.Domain;
using MailSink.Storage;
using MailSink.Tests.TestHost;
using Microsoft.Extensions.Logging.Abstractions;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Storage;

/// <summary>
/// Disk and memory are given back (issue 13, defect 9: the file stayed at 189 MB for no mail, even after a
/// restart): a delete-all leaves a fresh file, and a file that is mostly free space is compacted at start-up.
/// </summary>
public sealed class CompactionTests(StoreTestFolder folder) : IClassFixture<StoreTestFolder>
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task Delete_all_over_the_API_shrinks_the_file_and_the_store_keeps_receiving()
    {
        await using var app = await MailSinkApp.StartAsync(dataDirectory: null);
        using (var client = await SmtpSending.ConnectAsync(app.SmtpPort, MailKit.Security.SecureSocketOptions.None))
        {
            // Random text: raw bodies are stored compressed, and a repeated line would shrink to almost nothing.
            var body = string.Join("\r\n", Enumerable.Range(0, 750).Select(line => Convert.ToBase64String(Incompressible(30, line))));
            for (var i = 0; i < 200; i++)
            {
                await client.SendAsync(SmtpSending.NewMessage($"filler {i}", body: body));
            }

            await client.DisconnectAsync(quit: true);
        }

        var full = StoreBytes(app.DatabasePath);
        Assert.True(full > 6_000_000, $"200 messages of 30 KB took only {full} bytes");

        await app.DeleteAllMessagesAsync();

        // The compaction runs on the writer right after the delete commits.
        var small = await MailSinkApp.WaitUntilAsync(
            () => Task.FromResult(StoreBytes(app.DatabasePath) is var bytes && bytes < 512 * 1024 ? (object?)bytes : null),
            $"the store ({StoreBytes(app.DatabasePath)} bytes) to shrink after DELETE /api/v1/messages");

        var id = await SmtpSending.SendOneAsync(app.SmtpPort, SmtpSending.NewMessage("after the delete"));
        var list = await app.GetJsonAsync("/api/v1/messages");
        Assert.Equal(1, list["total"]!.GetValue<int>());
        Assert.Equal(id, list["messages"]![0]!["ID"]!.GetValue<string>());
        Assert.Contains("after the delete", System.Text.Encoding.UTF8.GetString(await app.GetRawAsync(id)));
        Assert.True((long)small < full / 10, $"{full} bytes before, {small} after");
    }

    [Fact]
    public async Task A_mostly_empty_file_is_compacted_at_start_up_with_every_live_message_and_its_indexes()
    {
        var path = folder.NewDatabaseFile();
        const int Kept = 3_000;
        await using (var store = Open(path))
        {
            // 3,000 live summaries: beyond the ~2,550 documents where LiteDB's own Rebuild breaks (test below).
            await Task.WhenAll(Enumerable.Range(1, Kept).Select(n => store.AddMessageAsync(Message(n), Raw(n), Ct)));
            var big = Enumerable.Range(Kept + 1, 40).ToList();
            foreach (var n in big)
            {
                await store.AddMessageAsync(Message(n), Incompressible(1024 * 1024, n), Ct);
            }

            Assert.Equal(40, await store.DeleteMessagesAsync(big.Select(n => Message(n).Id).ToList(), Ct));
        }

        var before = new FileInfo(path).Length;
        Assert.True(before > StoreCompactor.StartupMinimumBytes, $"the file is only {before} bytes");

        await using (var reopened = Open(path))
        {
            var after = new FileInfo(path).Length;
            Assert.True(after < before / 3, $"{before} bytes before start-up, {after} after");

            var page = await reopened.ListMessagesAsync(0, 10, null, Ct);
            Assert.Equal(Kept, page.Total);
            Assert.Equal(Enumerable.Range(Kept - 9, 10).Reverse().Select(n => Message(n).Id), page.Items.Select(m => m.Id));
            foreach (var n in new[] { 1, 1234, Kept })
            {
                Assert.Equal(Raw(n), await reopened.GetRawAsync(Message(n).Id, Ct));
            }

            var filtered = await reopened.ListMessagesAsync(0, 5, m => m.Subject == "Message 77", Ct);
            Assert.Equal(Message(77).Id, Assert.Single(filtered.Items).Id);
            await reopened.AddMessageAsync(Message(Kept + 100), Raw(Kept + 100), Ct);
            Assert.Equal(Kept + 1, (await reopened.GetStatsAsync(Ct)).Total);
        }

        Assert.False(File.Exists(path + ".compact"), "the copy was left behind");
    }

    [Fact]
    public async Task Delete_all_in_memory_mode_drops_the_streams_and_the_store_keeps_receiving()
    {
        await using var store = new LiteDbMailStore(
            MailDatabase.OpenStream(new MemoryStream()), 256, new MailboxEvents(), TimeProvider.System, NullLogger.Instance);
        await Task.WhenAll(Enumerable.Range(1, 50).Select(n => store.AddMessageAsync(Message(n), Incompressible(200_000, n), Ct)));
        var full = (await store.GetStatsAsync(Ct)).DatabaseBytes;

        Assert.Equal(50, await store.DeleteMessagesAsync(null, Ct));

        // The compaction follows the commit on the writer; a write queued behind it completes after it.
        await store.AddMessageAsync(Message(99), Raw(99), Ct);
        var stats = await store.GetStatsAsync(Ct);
        Assert.True(stats.DatabaseBytes < full / 20, $"{full} bytes before the delete, {stats.DatabaseBytes} after");
        Assert.Equal(1, stats.Total);
        Assert.Equal(Raw(99), await store.GetRawAsync(Message(99).Id, Ct));
    }

    /// <summary>
    /// Why the compactor copies instead of calling Rebuild (LiteDB issues 2525, 2582, 2827). If this starts
    /// failing, LiteDB fixed Rebuild and StoreCompactor could use it.
    /// </summary>
    [Fact]
    public void LiteDB_Rebuild_still_fails_on_a_collection_with_a_secondary_index_beyond_2550_documents()
    {
        using var db = new LiteDatabase(new ConnectionString { Filename = folder.NewDatabaseFile(), Connection = ConnectionType.Direct });
        var messages = db.GetCollection(StoreKeys.Messages);
        messages.EnsureIndex(StoreKeys.SortKey, "$." + StoreKeys.SortKey);
        db.BeginTrans();
        for (var i = 0; i < 2_600; i++)
        {
            messages.Insert(new BsonDocument { ["_id"] = $"M{i:D8}", [StoreKeys.SortKey] = $"{i:D19}" });
        }

        db.Commit();

        var error = Assert.Throws<LiteException>(() => db.Rebuild());
        Assert.Contains("Detected loop in FindAll", error.Message);
    }

    private static long StoreBytes(string databasePath)
    {
        var log = MailDatabase.LogPath(databasePath);
        return new FileInfo(databasePath).Length + (File.Exists(log) ? new FileInfo(log).Length : 0);
    }
}
