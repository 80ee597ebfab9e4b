using System.Collections.Concurrent;
using System.Globalization;
using MailSink.Domain;
using MailSink.Search;
using MailSink.Storage;
using Microsoft.Extensions.Time.Testing;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Storage.Conformance;

/// <summary>
/// Every store behaviour the API relies on, run against each provider (LiteDB file, memory, PostgreSQL) by a
/// subclass that only says how to open an empty store. Each test opens its own.
/// </summary>
public abstract partial class MailStoreConformanceTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _opened = [];

    private protected MailboxEvents Events { get; } = new();

    protected FakeTimeProvider Time { get; } = new(Epoch.AddSeconds(10));

    private static CancellationToken Ct => CancellationToken.None;

    /// <summary>An empty store publishing on <paramref name="events"/> with the clock <paramref name="time"/>.</summary>
    private protected abstract Task<IMailStore> OpenEmptyAsync(MailboxEvents events, TimeProvider time);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Newest first: a store before what it was opened on.
        for (var i = _opened.Count - 1; i >= 0; i--)
        {
            await _opened[i].DisposeAsync();
        }
    }

    /// <summary>Something a subclass opened for a store (a connection pool), disposed after the store.</summary>
    protected void DisposeAfterStore(IAsyncDisposable resource) => _opened.Add(resource);

    private async Task<IMailStore> OpenAsync()
    {
        var store = await OpenEmptyAsync(Events, Time);
        _opened.Add((IAsyncDisposable)store);
        return store;
    }

    [Fact]
    public async Task Added_message_round_trips_with_byte_exact_raw_and_one_stored_event()
    {
        var store = await OpenAsync();
        var seen = Record(Events);
        var summary = Message(1);
        summary.ReplyTo = [new EmailAddress("Réply", "reply@example.com")];
        summary.Attachments = [new AttachmentInfo { PartId = "2", FileName = "a.pdf", ContentType = "application/pdf", Size = 12 }];
        summary.Warnings = ["bare LF"];
        var raw = Raw(1);

        await store.AddMessageAsync(summary, raw, Ct);

        var stored = await store.GetMessageAsync(summary.Id, Ct);
        Assert.NotNull(stored);
        Assert.Equal(summary.Subject, stored.Subject);
        Assert.Equal(summary.From, stored.From);
        Assert.Equal(summary.To, stored.To);
        Assert.Equal(summary.ReplyTo, stored.ReplyTo);
        Assert.Equal("a.pdf", Assert.Single(stored.Attachments).FileName);
        Assert.Equal(summary.Warnings, stored.Warnings);
        Assert.Equal(summary.ReceivedAt, stored.ReceivedAt);
        Assert.Equal(summary.ReceivedAt.Offset, stored.ReceivedAt.Offset);
        Assert.Equal(summary.Date, stored.Date);
        Assert.Equal(summary.Date!.Value.Offset, stored.Date!.Value.Offset);
        Assert.Equal(summary.SearchText, stored.SearchText);
        Assert.Equal(summary.Envelope.Tls, stored.Envelope.Tls);
        Assert.Equal("1234", stored.Envelope.MailParameters["size"]);
        Assert.Equal("v", stored.Envelope.MailParameters["X-Odd.Key$"]);
        Assert.Equal(raw, await store.GetRawAsync(summary.Id, Ct));
        Assert.Null(await store.GetRawAsync("missing", Ct));
        Assert.Null(await store.GetMessageAsync("missing", Ct));
        Assert.Equal(summary.Id, Assert.IsType<MessageStored>(Assert.Single(seen)).Summary.Id);
    }

    [Fact]
    public async Task Tick_precision_and_offset_of_received_at_survive()
    {
        var store = await OpenAsync();
        var summary = Message(1, receivedAt: new DateTimeOffset(638_000_000_000_000_123, TimeSpan.FromMinutes(330)));
        await store.AddMessageAsync(summary, Raw(1), Ct);

        var stored = await store.GetMessageAsync(summary.Id, Ct);

        Assert.Equal(summary.ReceivedAt.UtcTicks, stored!.ReceivedAt.UtcTicks);
        Assert.Equal(TimeSpan.FromMinutes(330), stored.ReceivedAt.Offset);
    }

    [Fact]
    public async Task Large_compressible_and_incompressible_raw_come_back_byte_identical()
    {
        var store = await OpenAsync();
        var random = Incompressible(3 * 1024 * 1024 + 7, seed: 7);
        var text = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("Line of mail text\r\n", 100_000)));
        await store.AddMessageAsync(Message(1), random, Ct);
        await store.AddMessageAsync(Message(2), text, Ct);

        Assert.Equal(random, await store.GetRawAsync(Message(1).Id, Ct));
        Assert.Equal(text, await store.GetRawAsync(Message(2).Id, Ct));

        await store.DeleteMessagesAsync([Message(1).Id], Ct);
        Assert.Null(await store.GetRawAsync(Message(1).Id, Ct));
    }

    [Fact]
    public async Task List_is_newest_first_with_paging_ties_by_id_and_total()
    {
        var store = await OpenAsync();
        foreach (var n in new[] { 3, 1, 5, 2, 4 })
        {
            await store.AddMessageAsync(Message(n), Raw(n), Ct);
        }

        await store.AddMessageAsync(Message(6, receivedAt: Message(5).ReceivedAt), Raw(6), Ct);

        var first = await store.ListMessagesAsync(0, 4, null, Ct);
        var second = await store.ListMessagesAsync(4, 4, null, Ct);
        var beyond = await store.ListMessagesAsync(10, 4, null, Ct);

        Assert.Equal(6, first.Total);
        Assert.Equal(["M00000006", "M00000005", "M00000004", "M00000003"], first.Items.Select(m => m.Id));
        Assert.Equal(["M00000002", "M00000001"], second.Items.Select(m => m.Id));
        Assert.Equal(6, second.Total);
        Assert.Empty(beyond.Items);
        Assert.Equal("M00000006", (await store.GetLatestAsync(Ct))!.Id);
    }

    [Fact]
    public async Task Batched_concurrent_adds_all_commit_and_deep_pages_are_exact()
    {
        var store = await OpenAsync();
        var seen = Record(Events);

        // Concurrent callers: the writer groups them into batches; every caller completes once its batch committed.
        await Task.WhenAll(Enumerable.Range(1, 1_200).Select(n => store.AddMessageAsync(Message(n), Raw(n), Ct)));

        Assert.Equal(1_200, seen.OfType<MessageStored>().Select(e => e.Summary.Id).Distinct().Count());
        var deep = await store.ListMessagesAsync(1_150, 100, null, Ct);
        Assert.Equal(1_200, deep.Total);
        Assert.Equal(Enumerable.Range(1, 50).Reverse().Select(n => Message(n).Id), deep.Items.Select(m => m.Id));
        var middle = await store.ListMessagesAsync(600, 3, null, Ct);
        Assert.Equal([Message(600).Id, Message(599).Id, Message(598).Id], middle.Items.Select(m => m.Id));
        var stats = await store.GetStatsAsync(Ct);
        Assert.Equal((1_200, 1_200), (stats.Total, stats.Unread));
    }

    [Fact]
    public async Task Latest_of_an_empty_store_is_null_and_its_counts_zero()
    {
        var store = await OpenAsync();
        Assert.Null(await store.GetLatestAsync(Ct));
        Assert.Equal(0, (await store.ListMessagesAsync(0, 10, null, Ct)).Total);
        Assert.Empty(await store.GetTagCountsAsync(Ct));
        var stats = await store.GetStatsAsync(Ct);
        Assert.Equal((0, 0, 0), (stats.Total, stats.Unread, stats.Sessions));
    }

    [Fact]
    public async Task Filter_tests_every_summary_newest_first_and_counts_matches()
    {
        var store = await OpenAsync();
        await Task.WhenAll(Enumerable.Range(1, 600).Select(n => store.AddMessageAsync(
            Message(n, from: n % 3 == 0 ? "carol@example.com" : "alice@example.com"), Raw(n), Ct)));

        var page = await store.ListMessagesAsync(10, 5, m => m.From!.Address == "carol@example.com", Ct);

        Assert.Equal(200, page.Total);
        Assert.Equal([570, 567, 564, 561, 558], page.Items.Select(m => int.Parse(m.Id[1..], CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("message")]
    [InlineData("essag")]
    [InlineData("\"message 12\"")]
    [InlineData("subject:\"Message 1\"")]
    [InlineData("subject:ESSAGE")]
    [InlineData("from:carol")]
    [InlineData("-from:carol is:unread")]
    [InlineData("is:read")]
    [InlineData("tag:urgent")]
    [InlineData("larger:150 smaller:180")]
    [InlineData("after:2026-03-01T10:00:20Z before:2026-03-01T10:00:40Z")]
    [InlineData("carol 1")]
    [InlineData("50%_off")]
    [InlineData("nothing-matches-this")]
    public async Task Search_answers_exactly_what_the_query_predicate_accepts(string text)
    {
        var store = await OpenAsync();
        var all = Enumerable.Range(1, 90).Select(n =>
        {
            var m = Message(n, subject: n % 10 == 0 ? $"50%_off number {n}" : null, from: n % 3 == 0 ? "carol@example.com" : "alice@example.com");
            m.SearchText = $"{m.Subject} {m.From!.Address} body text {n}".ToLowerInvariant();
            return m;
        }).ToList();
        await Task.WhenAll(all.Select(m => store.AddMessageAsync(m, Raw(1), Ct)));
        await store.SetReadAsync(all.Where((_, i) => i % 4 == 0).Select(m => m.Id).ToList(), true, Ct);
        await store.SetTagsAsync(all.Where((_, i) => i % 5 == 0).Select(m => m.Id).ToList(), ["Urgent"], Ct);
        var query = SearchQuery.Parse(text);

        // The expected answer from the stored summaries themselves, newest first.
        var everything = await store.ListMessagesAsync(0, 1_000, null, Ct);
        var expected = everything.Items.Where(query.Predicate).Select(m => m.Id).ToList();
        var page = await store.ListMessagesAsync(2, 7, query, query.Predicate, Ct);

        Assert.Equal(expected.Count, page.Total);
        Assert.Equal(expected.Skip(2).Take(7), page.Items.Select(m => m.Id));
        if (text == "essag")
        {
            // A substring inside a word: every message but the nine "50%_off" ones.
            Assert.Equal(81, page.Total);
        }
    }
}
