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

    [Theory]
    [InlineData(RetentionPruner.DefaultBatchSize)]
    [InlineData(4)]
    [InlineData(1)]
    public async Task Prune_by_count_keeps_the_newest_and_removes_raw_and_orphan_sessions(int turn)
    {
        var events = new MailboxEvents();
        await using var store = Open(folder.NewDatabaseFile(), events);
        store.PruneBatchSize = turn;
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
        Assert.Equal(4, (await store.GetStatsAsync(Ct)).Sessions); // the kept count follows each deletion
        var deletions = seen.Cast<MessagesDeleted>().Select(d => d.Ids!.Count).ToList();
        Assert.Equal(6, deletions.Sum());
        Assert.All(deletions, count => Assert.InRange(count, 1, turn));
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
        Assert.Equal(5, (await store.GetStatsAsync(Ct)).Sessions);

        time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(5, await store.PruneAsync(1_000, TimeSpan.FromHours(1), Ct));
        var stats = await store.GetStatsAsync(Ct);
        Assert.Equal((0, 0, 0), (stats.Total, stats.Unread, stats.Sessions));
    }

    [Theory]
    [InlineData(RetentionPruner.DefaultBatchSize)]
    [InlineData(2)]
    public async Task Sessions_are_capped_at_the_message_limit(int turn)
    {
        await using var store = Open(folder.NewDatabaseFile());
        store.PruneBatchSize = turn;
        for (var n = 1; n <= 8; n++)
        {
            await store.SaveSessionAsync(Session(n), Ct);
        }

        await store.PruneAsync(3, null, Ct);

        var page = await store.ListSessionsAsync(0, 100, Ct);
        Assert.Equal([Session(8).Id, Session(7).Id, Session(6).Id], page.Items.Select(s => s.Id));
        Assert.Equal(3, (await store.GetStatsAsync(Ct)).Sessions);
    }

    [Fact]
    public async Task Pruning_a_backlog_goes_in_bounded_turns_and_mail_queued_meanwhile_is_stored_between_them()
    {
        // A clock that stands still: the turns' time budget never ends one early, so the count of turns is exact.
        var events = new MailboxEvents();
        await using var store = Open(folder.NewDatabaseFile(), events, new FakeTimeProvider(Epoch));
        store.PruneBatchSize = 10;
        await Task.WhenAll(Enumerable.Range(1, 100).Select(n => store.AddMessageAsync(Message(n), Raw(n), Ct)));
        var seen = Record(events);

        // Event handlers run on the writer thread right after a commit, before the pruning's next turn is queued
        // (that happens in the pruning's continuation): mail arriving now must not wait for the whole backlog.
        var arrivals = new List<Task>();
        using var arrive = events.Subscribe(e =>
        {
            if (e is MessagesDeleted && arrivals.Count == 0)
            {
                arrivals.AddRange(Enumerable.Range(101, 3).Select(n => store.AddMessageAsync(Message(n), Raw(n), Ct)));
            }
        });

        var pruned = await store.PruneAsync(10, null, Ct);
        await Task.WhenAll(arrivals);

        // 103 messages for a limit of 10, counted as it went (the arrivals too), ten at most a turn.
        Assert.Equal(93, pruned);
        var order = seen.ToList();
        var turns = order.OfType<MessagesDeleted>().Select(d => d.Ids!.Count).ToList();
        Assert.Equal(93, turns.Sum());
        Assert.All(turns, count => Assert.InRange(count, 1, 10));
        Assert.Equal(10, turns.Count);

        // The arrivals were stored right after the first turn, ahead of the other nine.
        Assert.Equal([1, 2, 3], order.Select((e, i) => (e, i)).Where(x => x.e is MessageStored).Select(x => x.i));
        var kept = await store.ListMessagesAsync(0, 100, null, Ct);
        Assert.Equal(Enumerable.Range(94, 10).Reverse().Select(n => Message(n).Id), kept.Items.Select(m => m.Id));
        Assert.Equal(10, (await store.GetStatsAsync(Ct)).Total);
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
