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
