using MailSink.Storage;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Storage;

/// <summary>
/// Pages found through the kept list positions (<see cref="SortKeyRanks"/>, issue 12's deep pages) are exactly the
/// newest-first order, including messages received in the same tick, after deletes, a batch large enough to be
/// merged, pruning, a delete-all and a reopen of the file.
/// </summary>
public sealed class DeepPageTests(StoreTestFolder folder) : IClassFixture<StoreTestFolder>
{
    [Fact]
    public async Task Every_page_matches_the_newest_first_order_through_changes()
    {
        var path = folder.NewDatabaseFile();
        var expected = new List<(DateTimeOffset At, string Id)>();
        await using (var store = Open(path, batchSize: 64))
        {
            // Groups of up to 5 messages share one ReceivedAt (same tick): their order is by ID.
            var adds = Enumerable.Range(1, 300).Select(n =>
            {
                var at = Epoch.AddSeconds(n / 5);
                expected.Add((at, $"M{n:D8}"));
                return store.AddMessageAsync(Message(n, at), Raw(n), CancellationToken.None);
            });
            await Task.WhenAll(adds); // concurrent: batches of many adds go through the merge path
            await AssertPagesAsync(store, expected);

            // A few deletes (edited in place), including inside a same-tick group.
            string[] few = ["M00000010", "M00000011", "M00000150", "M00000299"];
            await store.DeleteMessagesAsync(few, CancellationToken.None);
            expected.RemoveAll(e => few.Contains(e.Id));
            await AssertPagesAsync(store, expected);

            // Many deletes in one batch (merged), then pruning the oldest.
            var many = expected.Where((_, i) => i % 3 == 0).Select(e => e.Id).ToList();
            await store.DeleteMessagesAsync(many, CancellationToken.None);
            expected.RemoveAll(e => many.Contains(e.Id));
            await AssertPagesAsync(store, expected);

            await store.PruneAsync(120, null, CancellationToken.None);
            expected = [.. expected.OrderBy(e => e.At).ThenBy(e => e.Id, StringComparer.Ordinal).TakeLast(120)];
            await AssertPagesAsync(store, expected);

            // An out-of-order arrival (older than the newest) lands in its place.
            var late = Epoch.AddSeconds(30);
            await store.AddMessageAsync(Message(900, late), Raw(900), CancellationToken.None);
            expected.Add((late, "M00000900"));
            await AssertPagesAsync(store, expected);
        }

        // Reopened: the positions are rebuilt from the file.
        await using (var store = Open(path))
        {
            await AssertPagesAsync(store, expected);
            await store.DeleteMessagesAsync(null, CancellationToken.None);
            Assert.Empty((await store.ListMessagesAsync(5, 10, null, CancellationToken.None)).Items);
            await store.AddMessageAsync(Message(1000), Raw(1000), CancellationToken.None);
            await AssertPagesAsync(store, [(Message(1000).ReceivedAt, "M00001000")]);
        }
    }

    private static async Task AssertPagesAsync(LiteDbMailStore store, List<(DateTimeOffset At, string Id)> expected)
    {
        var newestFirst = expected.OrderByDescending(e => e.At).ThenByDescending(e => e.Id, StringComparer.Ordinal)
            .Select(e => e.Id).ToList();
        foreach (var (start, limit) in new[] { (0, 7), (1, 7), (4, 3), (5, 10), (37, 11), (newestFirst.Count - 2, 10), (newestFirst.Count, 5) })
        {
            var page = await store.ListMessagesAsync(start, limit, null, CancellationToken.None);
            Assert.Equal(newestFirst.Skip(start).Take(limit), page.Items.Select(m => m.Id));
            Assert.Equal(newestFirst.Count, page.Total);
        }
    }
}
