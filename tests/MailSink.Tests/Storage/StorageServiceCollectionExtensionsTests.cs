using MailSink.Domain;
using MailSink.Options;
using MailSink.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Storage;

public sealed class StorageServiceCollectionExtensionsTests(StoreTestFolder folder) : IClassFixture<StoreTestFolder>
{
    [Fact]
    public async Task AddMailStorage_resolves_one_store_over_the_data_directory_and_the_retention_service()
    {
        var events = new MailboxEvents();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(events)
            .AddSingleton(TimeProvider.System)
            .Configure<StorageOptions>(_ => { })
            .Configure<ServerOptions>(o => o.DataDirectory = Path.Combine(folder.Path, "data"))
            .AddMailStorage();

        await using (var provider = services.BuildServiceProvider())
        {
            var store = provider.GetRequiredService<IMailStore>();
            Assert.Same(store, provider.GetRequiredService<IMailStore>());
            Assert.Same(events, provider.GetRequiredService<MailboxEvents>());
            Assert.Contains(provider.GetServices<IHostedService>(), s => s is RetentionService);

            await store.AddMessageAsync(Message(1), Raw(1), CancellationToken.None);
        }

        // The default file name in the data directory, created on demand, and closed by the container.
        var file = Path.Combine(folder.Path, "data", "mailsink.db");
        Assert.True(File.Exists(file));
        await using var reopened = Open(file);
        Assert.Equal(1, (await reopened.GetStatsAsync(CancellationToken.None)).Total);
    }
}
