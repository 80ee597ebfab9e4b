using MailSink.Domain;
using MailSink.Options;
using MailSink.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Storage;

public sealed class RetentionTests(StoreTestFolder folder) : IClassFixture<StoreTestFolder>
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task Prune_by_count_keeps_the_newest_and_removes_raw_and_orphan_sessions()
    {
        var events = new MailboxEvents();
        await using var store = Open(folder.NewDatabaseFile(), events);
        for (var n = 1; n <= 10; n++)
        {
            await store.AddMessageAsync(Message(n), Raw(n), Ct);
            await store.SaveSessionAsync(Session(n), Ct);
        }

        // A session whose message never arrived, newer than every message: kept by the orphan rule.
        await store.SaveSessionAsync(Session(99, startedAt: Epoch.AddHours(1)), Ct);
        var seen = Record(events);

        Assert.Equal(6, await store.PruneAsync(4, null, Ct));

        var page = await store.ListMessagesAsync(0, 100, null, Ct);
        Assert.Equal(["M00000010", "M00000009", "M00000008", "M00000007"], page.Items.Select(m => m.Id));
        Assert.Null(await store.GetRawAsync(Message(1).Id, Ct));
        // Sessions 1..6 lost their messages; then the cap (4) takes the oldest survivor, session 7.
        var sessions = await store.ListSessionsAsync(0, 100, Ct);
        Assert.Equal([Session(99).Id, Session(10).Id, Session(9).Id, Session(8).Id], sessions.Items.Select(s => s.Id));
        Assert.Equal(6, Assert.IsType<MessagesDeleted>(Assert.Single(seen)).Ids!.Count);
        Assert.Equal(0, await store.PruneAsync(4, null, Ct));
    }

    [Fact]
    public async Task Prune_by_age_uses_the_injected_clock()
    {
        var time = new FakeTimeProvider(Epoch.AddSeconds(10));
        await using var store = Open(folder.NewDatabaseFile(), time: time);
        for (var n = 1; n <= 10; n++)
        {
            await store.AddMessageAsync(Message(n), Raw(n), Ct);
            await store.SaveSessionAsync(Session(n), Ct);
        }

        Assert.Equal(0, await store.PruneAsync(1_000, TimeSpan.FromHours(1), Ct));

        // Messages 1..5 are now more than an hour old.
        time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(4.5));
        Assert.Equal(5, await store.PruneAsync(1_000, TimeSpan.FromHours(1), Ct));
        var kept = await store.ListMessagesAsync(0, 100, null, Ct);
        Assert.Equal(["M00000010", "M00000009", "M00000008", "M00000007", "M00000006"], kept.Items.Select(m => m.Id));

        // Sessions 1..5 lost their messages and are older than the oldest kept one; session 6 still has its message.
        Assert.Equal(5, (await store.ListSessionsAsync(0, 100, Ct)).Total);

        time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(5, await store.PruneAsync(1_000, TimeSpan.FromHours(1), Ct));
        var stats = await store.GetStatsAsync(Ct);
        Assert.Equal((0, 0, 0), (stats.Total, stats.Unread, stats.Sessions));
    }

    [Fact]
    public async Task Sessions_are_capped_at_the_message_limit()
    {
        await using var store = Open(folder.NewDatabaseFile());
        for (var n = 1; n <= 8; n++)
        {
            await store.SaveSessionAsync(Session(n), Ct);
        }

        await store.PruneAsync(3, null, Ct);

        var page = await store.ListSessionsAsync(0, 100, Ct);
        Assert.Equal([Session(8).Id, Session(7).Id, Session(6).Id], page.Items.Select(s => s.Id));
    }

    [Fact]
    public async Task Retention_service_prunes_at_start_and_on_every_interval()
    {
        var time = new FakeTimeProvider(Epoch.AddSeconds(100));
        var events = new MailboxEvents();
        var pruned = new SemaphoreSlim(0);
        events.Subscribe(e =>
        {
            if (e is MessagesDeleted)
            {
                pruned.Release();
            }
        });
        await using var store = Open(folder.NewDatabaseFile(), events, time);
        for (var n = 1; n <= 5; n++)
        {
            await store.AddMessageAsync(Message(n), Raw(n), Ct);
        }

        var options = new StorageOptions { MaxMessages = 3, PruneInterval = TimeSpan.FromMinutes(1) };
        var service = new RetentionService(
            store, Microsoft.Extensions.Options.Options.Create(options), time, NullLogger<RetentionService>.Instance);
        await service.StartAsync(Ct);
        try
        {
            Assert.True(await pruned.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(3, (await store.GetStatsAsync(Ct)).Total);

            await store.AddMessageAsync(Message(6), Raw(6), Ct);
            await store.AddMessageAsync(Message(7), Raw(7), Ct);
            Assert.Equal(5, (await store.GetStatsAsync(Ct)).Total);

            time.Advance(TimeSpan.FromMinutes(1));
            Assert.True(await pruned.WaitAsync(TimeSpan.FromSeconds(10)));
            var page = await store.ListMessagesAsync(0, 10, null, Ct);
            Assert.Equal(["M00000007", "M00000006", "M00000005"], page.Items.Select(m => m.Id));
        }
        finally
        {
            await service.StopAsync(Ct);
        }
    }
}
