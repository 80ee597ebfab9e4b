using MailSink.Search;
using MailSink.Storage;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Storage;

/// <summary>
/// Reads running while the writer commits and checkpoints (issue 12). LiteDB 5.0.21 let a query read pages a commit
/// was moving (litedb-org/LiteDB#2825): "pages in memory store must be non-shared", after which the engine closed
/// itself and every later read and commit failed. <see cref="EngineGate"/> keeps readers out of a commit; this drives
/// scans, subject searches, single reads and counts against a stream of batched inserts on both kinds of store and
/// requires every read and every write to succeed and every message to be there afterwards.
/// </summary>
[Collection(MailSink.Tests.TestHost.SerialCollection.Name)] // twelve busy threads: not beside latency-bound tests
public sealed class ConcurrentReadTests(StoreTestFolder folder) : IClassFixture<StoreTestFolder>
{
    private const int Messages = 2_000;

    /// <summary>Without the gate the writer could hang inside LiteDB: a hang must fail the test, not CI's clock.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reads_during_commits_and_checkpoints_never_fail(bool memory)
    {
        await using var store = Open(memory ? "memory" : folder.NewDatabaseFile(), batchSize: 32);
        var body = Incompressible(4_000, 7); // big enough that the writer checkpoints several times
        using var stop = new CancellationTokenSource();
        var subject = SearchQuery.Parse("subject:\"message 1\"");
        var text = SearchQuery.Parse("alice");
        var reads = 0;

        async Task ReadLoopAsync(int reader)
        {
            while (!stop.IsCancellationRequested)
            {
                _ = reader switch
                {
                    0 => (await store.ListMessagesAsync(0, 50, text, text.Predicate, CancellationToken.None)).Total,
                    1 => (await store.ListMessagesAsync(0, 50, subject, subject.Predicate, CancellationToken.None)).Total,
                    2 => (await store.ListMessagesAsync(100, 50, null, CancellationToken.None)).Items.Count,
                    _ => (await store.GetStatsAsync(CancellationToken.None)).Total
                        + ((await store.GetLatestAsync(CancellationToken.None)) is { } latest
                            ? (await store.GetRawAsync(latest.Id, CancellationToken.None))!.Length : 0),
                };
                Interlocked.Increment(ref reads);
            }
        }

        var readers = Enumerable.Range(0, 4).Select(r => Task.Run(() => ReadLoopAsync(r))).ToList();
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var n = w; n < Messages; n += 8)
            {
                await store.AddMessageAsync(Message(n + 1), body, CancellationToken.None);
            }
        })).ToList();

        try
        {
            await Task.WhenAll(writers).WaitAsync(Limit);
        }
        finally
        {
            await stop.CancelAsync();
        }

        await Task.WhenAll(readers).WaitAsync(Limit); // rethrows the first failed read
        Assert.True(reads > 0);
        Assert.Equal(Messages, (await store.GetStatsAsync(CancellationToken.None)).Total);
        Assert.Equal(Messages, (await store.ListMessagesAsync(0, 10, text, text.Predicate, CancellationToken.None)).Total);
    }
}
