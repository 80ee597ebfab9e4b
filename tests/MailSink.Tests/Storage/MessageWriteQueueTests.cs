using System.Diagnostics;
using MailSink.Domain;
using MailSink.Storage;
using Xunit.Abstractions;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Storage;

public sealed class MessageWriteQueueTests(StoreTestFolder folder, ITestOutputHelper output) : IClassFixture<StoreTestFolder>
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task A_thousand_concurrent_adds_from_fifty_tasks_are_all_stored_once()
    {
        var events = new MailboxEvents();
        var seen = Record(events);
        await using var store = Open(folder.NewDatabaseFile(), events);

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 50).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                var n = (t * 20) + i;
                await store.AddMessageAsync(Message(n), Raw(n), Ct);
            }
        })));
        output.WriteLine($"1,000 messages from 50 tasks stored in {clock.ElapsedMilliseconds} ms");

        var page = await store.ListMessagesAsync(0, 2_000, null, Ct);
        Assert.Equal(1_000, page.Total);
        Assert.Equal(1_000, page.Items.Select(m => m.Id).Distinct().Count());
        Assert.Equal(1_000, seen.OfType<MessageStored>().Select(e => e.Summary.Id).Distinct().Count());
        Assert.Equal(1_000, (await store.GetStatsAsync(Ct)).Unread);
    }

    [Fact]
    public async Task A_failed_commit_surfaces_as_StoreUnavailable_and_later_writes_succeed()
    {
        var events = new MailboxEvents();
        var seen = Record(events);
        await using var store = Open(folder.NewDatabaseFile(), events);
        await store.AddMessageAsync(Message(1), Raw(1), Ct);

        // LiteDB refuses a document over its ~16 MB limit: a real engine failure inside the batch transaction.
        var tooBig = Message(2);
        tooBig.SearchText = Uncompressible(24 * 1024 * 1024);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.AddMessageAsync(tooBig, Raw(2), Ct));

        Assert.Null(await store.GetMessageAsync(tooBig.Id, Ct));
        Assert.Null(await store.GetRawAsync(tooBig.Id, Ct));
        Assert.DoesNotContain(seen, e => e is MessageStored s && s.Summary.Id == tooBig.Id);

        await store.AddMessageAsync(Message(3), Raw(3), Ct);
        var stats = await store.GetStatsAsync(Ct);
        Assert.Equal((2, 2), (stats.Total, stats.Unread));
        Assert.Equal(Raw(3), await store.GetRawAsync(Message(3).Id, Ct));
    }

    [Fact]
    public async Task One_refused_write_does_not_fail_the_writes_batched_with_it()
    {
        await using var store = Open(folder.NewDatabaseFile(), batchSize: 64);

        // A large first write keeps the writer busy so the next ones queue up and share one batch.
        var busy = store.AddMessageAsync(Message(1), new byte[8 * 1024 * 1024], Ct);
        var tooBig = Message(2);
        tooBig.SearchText = Uncompressible(24 * 1024 * 1024);
        var good = Enumerable.Range(3, 20).Select(n => store.AddMessageAsync(Message(n), Raw(n), Ct)).ToList();
        var bad = store.AddMessageAsync(tooBig, Raw(2), Ct);
        good.AddRange(Enumerable.Range(23, 20).Select(n => store.AddMessageAsync(Message(n), Raw(n), Ct)));

        await busy;
        await Task.WhenAll(good);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => bad);
        Assert.Equal(41, (await store.GetStatsAsync(Ct)).Total);
        Assert.Null(await store.GetMessageAsync(tooBig.Id, Ct));
    }

    [Fact]
    public async Task Writes_after_dispose_fail_with_StoreUnavailable()
    {
        var store = Open(folder.NewDatabaseFile());
        await store.AddMessageAsync(Message(1), Raw(1), Ct);
        await store.DisposeAsync();

        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.AddMessageAsync(Message(2), Raw(2), Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.SaveSessionAsync(Session(2), Ct));
    }

    [Fact]
    public async Task Dispose_commits_writes_already_queued()
    {
        var path = folder.NewDatabaseFile();
        var store = Open(path, batchSize: 8);

        // 50 fits in the bounded channel (64 at this batch size), so every write is queued before dispose.
        var pending = Enumerable.Range(1, 50).Select(n => store.AddMessageAsync(Message(n), Raw(n), Ct)).ToList();
        await store.DisposeAsync();
        await Task.WhenAll(pending);

        await using var reopened = Open(path);
        Assert.Equal(50, (await reopened.GetStatsAsync(Ct)).Total);
    }

    [Fact]
    public async Task A_throwing_listener_does_not_fail_a_committed_write()
    {
        var events = new MailboxEvents();
        events.Subscribe(_ => throw new InvalidOperationException("listener bug"));
        await using var store = Open(folder.NewDatabaseFile(), events);

        await store.AddMessageAsync(Message(1), Raw(1), Ct);
        await store.AddMessageAsync(Message(2), Raw(2), Ct);

        Assert.Equal(2, (await store.GetStatsAsync(Ct)).Total);
    }

    /// <summary>
    /// Printable random text: the search text is stored zstd-compressed, so a repeated char would shrink under
    /// LiteDB's ~16 MB document limit; 24 M random printable chars stay around 20 MB.
    /// </summary>
    private static string Uncompressible(int length)
    {
        var random = new Random(length);
        return string.Create(length, random, (chars, r) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)r.Next(0x21, 0x7F);
            }
        });
    }
}
