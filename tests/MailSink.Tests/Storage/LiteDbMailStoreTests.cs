using System.Globalization;
using MailSink.Domain;
using MailSink.Storage;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Storage;

public sealed class LiteDbMailStoreTests(StoreTestFolder folder) : IClassFixture<StoreTestFolder>, IAsyncLifetime
{
    private readonly MailboxEvents _events = new();
    private LiteDbMailStore _store = null!;
    private string _path = "";

    private static CancellationToken Ct => CancellationToken.None;

    public Task InitializeAsync()
    {
        _path = folder.NewDatabaseFile();
        _store = Open(_path, _events);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Added_message_round_trips_with_byte_exact_raw()
    {
        var seen = Record(_events);
        var summary = Message(1);
        var raw = Raw(1);

        await _store.AddMessageAsync(summary, raw, Ct);

        var stored = await _store.GetMessageAsync(summary.Id, Ct);
        Assert.NotNull(stored);
        Assert.Equal(summary.Subject, stored.Subject);
        Assert.Equal(summary.From, stored.From);
        Assert.Equal(summary.To, stored.To);
        Assert.Equal(summary.ReceivedAt, stored.ReceivedAt);
        Assert.Equal(summary.ReceivedAt.Offset, stored.ReceivedAt.Offset);
        Assert.Equal(summary.Date, stored.Date);
        Assert.Equal(summary.Date!.Value.Offset, stored.Date!.Value.Offset);
        Assert.Equal(summary.SearchText, stored.SearchText);
        Assert.Equal(summary.Envelope.Tls, stored.Envelope.Tls);
        Assert.Equal("1234", stored.Envelope.MailParameters["size"]);
        Assert.Equal("v", stored.Envelope.MailParameters["X-Odd.Key$"]);
        Assert.Equal(raw, await _store.GetRawAsync(summary.Id, Ct));
        Assert.Null(await _store.GetRawAsync("missing", Ct));
        Assert.Null(await _store.GetMessageAsync("missing", Ct));
        Assert.Equal(summary.Id, Assert.IsType<MessageStored>(Assert.Single(seen)).Summary.Id);
    }

    [Fact]
    public async Task Tick_precision_of_received_at_survives()
    {
        var summary = Message(1, receivedAt: new DateTimeOffset(638_000_000_000_000_123, TimeSpan.FromMinutes(330)));
        await _store.AddMessageAsync(summary, Raw(1), Ct);

        var stored = await _store.GetMessageAsync(summary.Id, Ct);

        Assert.Equal(summary.ReceivedAt.UtcTicks, stored!.ReceivedAt.UtcTicks);
        Assert.Equal(TimeSpan.FromMinutes(330), stored.ReceivedAt.Offset);
    }

    [Fact]
    public async Task Raw_larger_than_a_LiteDB_document_is_chunked_and_returned_whole()
    {
        var raw = new byte[17 * 1024 * 1024 + 3];
        new Random(7).NextBytes(raw);
        await _store.AddMessageAsync(Message(1), raw, Ct);

        Assert.Equal(raw, await _store.GetRawAsync(Message(1).Id, Ct));

        await _store.DeleteMessagesAsync([Message(1).Id], Ct);
        Assert.Null(await _store.GetRawAsync(Message(1).Id, Ct));
    }

    [Fact]
    public async Task List_is_newest_first_with_paging_and_total()
    {
        // Inserted out of order, with two messages sharing one instant (ties broken by id, descending).
        int[] order = [3, 1, 5, 2, 4];
        foreach (var n in order)
        {
            await _store.AddMessageAsync(Message(n), Raw(n), Ct);
        }

        await _store.AddMessageAsync(Message(6, receivedAt: Message(5).ReceivedAt), Raw(6), Ct);

        var first = await _store.ListMessagesAsync(0, 4, null, Ct);
        var second = await _store.ListMessagesAsync(4, 4, null, Ct);

        Assert.Equal(6, first.Total);
        Assert.Equal(["M00000006", "M00000005", "M00000004", "M00000003"], first.Items.Select(m => m.Id));
        Assert.Equal(["M00000002", "M00000001"], second.Items.Select(m => m.Id));
        Assert.Equal(6, second.Total);
        Assert.Equal("M00000006", (await _store.GetLatestAsync(Ct))!.Id);
    }

    [Fact]
    public async Task Latest_of_an_empty_store_is_null()
    {
        Assert.Null(await _store.GetLatestAsync(Ct));
        Assert.Equal(0, (await _store.ListMessagesAsync(0, 10, null, Ct)).Total);
    }

    [Fact]
    public async Task Filter_tests_every_summary_newest_first_and_counts_matches()
    {
        // More than one scan chunk (256), so chunk boundaries are crossed.
        await Task.WhenAll(Enumerable.Range(1, 600).Select(n => _store.AddMessageAsync(
            Message(n, from: n % 3 == 0 ? "carol@example.com" : "alice@example.com"), Raw(n), Ct)));

        var page = await _store.ListMessagesAsync(10, 5, m => m.From!.Address == "carol@example.com", Ct);

        Assert.Equal(200, page.Total);
        Assert.Equal([570, 567, 564, 561, 558], page.Items.Select(m => int.Parse(m.Id[1..], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Read_state_changes_by_id_and_for_all_publish_updates()
    {
        for (var n = 1; n <= 4; n++)
        {
            await _store.AddMessageAsync(Message(n), Raw(n), Ct);
        }

        await _store.SetTagsAsync([Message(2).Id], ["urgent"], Ct);
        var seen = Record(_events);

        Assert.Equal(1, await _store.SetReadAsync([Message(2).Id, "missing"], true, Ct));
        Assert.Equal(0, await _store.SetReadAsync([Message(2).Id], true, Ct));
        Assert.Equal(3, (await _store.GetStatsAsync(Ct)).Unread);
        var update = Assert.IsType<MessageUpdated>(Assert.Single(seen));
        Assert.Equal(new[] { "urgent" }, update.Tags);
        Assert.True(update.Read);
        Assert.True((await _store.GetMessageAsync(Message(2).Id, Ct))!.Read);

        Assert.Equal(3, await _store.SetReadAsync(null, true, Ct));
        Assert.Equal(0, (await _store.GetStatsAsync(Ct)).Unread);
        Assert.Equal(4, seen.Count);

        Assert.Equal(4, await _store.SetReadAsync(null, false, Ct));
        Assert.Equal(4, (await _store.GetStatsAsync(Ct)).Unread);
        Assert.All(seen.Skip(4), e => Assert.False(Assert.IsType<MessageUpdated>(e).Read));
    }

    [Fact]
    public async Task Tags_are_replaced_and_published()
    {
        await _store.AddMessageAsync(Message(1), Raw(1), Ct);
        var seen = Record(_events);

        Assert.Equal(1, await _store.SetTagsAsync([Message(1).Id, "missing"], ["a", "b"], Ct));
        Assert.Equal(1, await _store.SetTagsAsync([Message(1).Id], ["c"], Ct));

        Assert.Equal(["c"], (await _store.GetMessageAsync(Message(1).Id, Ct))!.Tags);
        Assert.Equal(2, seen.Count);
    }

    [Fact]
    public async Task Delete_by_ids_removes_messages_and_raw_but_keeps_sessions()
    {
        for (var n = 1; n <= 3; n++)
        {
            await _store.AddMessageAsync(Message(n), Raw(n), Ct);
            await _store.SaveSessionAsync(Session(n), Ct);
        }

        var seen = Record(_events);

        Assert.Equal(2, await _store.DeleteMessagesAsync([Message(1).Id, Message(3).Id, "missing"], Ct));

        var page = await _store.ListMessagesAsync(0, 10, null, Ct);
        Assert.Equal([Message(2).Id], page.Items.Select(m => m.Id));
        Assert.Equal(1, page.Total);
        Assert.Null(await _store.GetRawAsync(Message(1).Id, Ct));
        Assert.NotNull(await _store.GetRawAsync(Message(2).Id, Ct));
        Assert.NotNull(await _store.GetSessionAsync(Session(1).Id, Ct));
        var deleted = Assert.IsType<MessagesDeleted>(Assert.Single(seen));
        Assert.Equal([Message(1).Id, Message(3).Id], deleted.Ids!);
    }

    [Fact]
    public async Task Delete_all_removes_messages_raw_and_sessions()
    {
        for (var n = 1; n <= 3; n++)
        {
            await _store.AddMessageAsync(Message(n), Raw(n), Ct);
            await _store.SaveSessionAsync(Session(n), Ct);
        }

        var seen = Record(_events);

        Assert.Equal(3, await _store.DeleteMessagesAsync(null, Ct));

        var stats = await _store.GetStatsAsync(Ct);
        Assert.Equal((0, 0, 0), (stats.Total, stats.Unread, stats.Sessions));
        Assert.Null(await _store.GetRawAsync(Message(2).Id, Ct));
        Assert.Null(Assert.IsType<MessagesDeleted>(Assert.Single(seen)).Ids);

        await _store.AddMessageAsync(Message(9), Raw(9), Ct);
        Assert.Equal(1, (await _store.GetStatsAsync(Ct)).Total);
    }

    [Fact]
    public async Task Sessions_are_saved_replaced_listed_newest_first_and_closed_events_published()
    {
        var seen = Record(_events);
        var open = Session(1, SessionOutcome.Open);
        await _store.SaveSessionAsync(open, Ct);
        await _store.SaveSessionAsync(Session(2), Ct);
        await _store.SaveSessionAsync(Session(1, SessionOutcome.ClientDisconnected), Ct);

        var stored = await _store.GetSessionAsync(open.Id, Ct);
        Assert.Equal(SessionOutcome.ClientDisconnected, stored!.Outcome);
        Assert.Equal(open.Lines.Select(l => (l.Text, l.Direction, l.MessageId)), stored.Lines.Select(l => (l.Text, l.Direction, l.MessageId)));

        var page = await _store.ListSessionsAsync(0, 10, Ct);
        Assert.Equal(2, page.Total);
        Assert.Equal([Session(2).Id, Session(1).Id], page.Items.Select(s => s.Id));
        Assert.All(page.Items, s => Assert.Equal(3, s.LineCount));
        Assert.Equal([Message(2).Id], page.Items[0].MessageIds);

        // The open save published nothing; the two closed ones did.
        Assert.Equal([Session(2).Id, Session(1).Id], seen.Select(e => Assert.IsType<SessionClosed>(e).Session.Id));
    }

    [Fact]
    public async Task A_message_may_be_stored_before_or_after_its_session()
    {
        await _store.AddMessageAsync(Message(1), Raw(1), Ct);
        await _store.SaveSessionAsync(Session(1), Ct);
        await _store.SaveSessionAsync(Session(2, SessionOutcome.Open), Ct);
        await _store.AddMessageAsync(Message(2), Raw(2), Ct);

        Assert.NotNull(await _store.GetSessionAsync(Session(1).Id, Ct));
        Assert.NotNull(await _store.GetSessionAsync(Session(2).Id, Ct));
        Assert.Equal(2, (await _store.GetStatsAsync(Ct)).Total);
    }

    [Fact]
    public async Task A_2000_char_subject_inserts_and_round_trips()
    {
        // 2,000 chars of which 400 are surrogate pairs: ~3,000 bytes of UTF-8, three times the index key limit.
        var subject = string.Concat(Enumerable.Repeat("Ünïcödé 😀", 200));
        Assert.Equal(2_000, subject.Length);
        await _store.AddMessageAsync(Message(1, subject: subject, from: new string('x', 1500) + "@example.com"), Raw(1), Ct);

        Assert.Equal(subject, (await _store.GetMessageAsync(Message(1).Id, Ct))!.Subject);
    }

    [Fact]
    public async Task Storing_the_same_id_twice_replaces_without_double_counting()
    {
        await _store.AddMessageAsync(Message(1), Raw(1), Ct);
        await _store.AddMessageAsync(Message(1, subject: "again"), Raw(2), Ct);

        var stats = await _store.GetStatsAsync(Ct);
        Assert.Equal((1, 1), (stats.Total, stats.Unread));
        Assert.Equal("again", (await _store.GetMessageAsync(Message(1).Id, Ct))!.Subject);
        Assert.Equal(Raw(2), await _store.GetRawAsync(Message(1).Id, Ct));
    }

    [Fact]
    public async Task Stats_report_counts_and_file_size()
    {
        await _store.AddMessageAsync(Message(1), Raw(1), Ct);
        await _store.AddMessageAsync(Message(2), Raw(2), Ct);
        await _store.SetReadAsync([Message(1).Id], true, Ct);
        await _store.SaveSessionAsync(Session(1), Ct);

        var stats = await _store.GetStatsAsync(Ct);

        Assert.Equal((2, 1, 1), (stats.Total, stats.Unread, stats.Sessions));
        Assert.True(stats.DatabaseBytes > 0);
    }

    [Fact]
    public async Task Reopening_the_file_keeps_messages_sessions_and_counts()
    {
        await _store.AddMessageAsync(Message(1), Raw(1), Ct);
        await _store.AddMessageAsync(Message(2), Raw(2), Ct);
        await _store.SetReadAsync([Message(2).Id], true, Ct);
        await _store.SaveSessionAsync(Session(1), Ct);
        await _store.DisposeAsync();

        _store = Open(_path, _events);

        var stats = await _store.GetStatsAsync(Ct);
        Assert.Equal((2, 1, 1), (stats.Total, stats.Unread, stats.Sessions));
        Assert.Equal(Raw(2), await _store.GetRawAsync(Message(2).Id, Ct));
        Assert.Equal(3, (await _store.GetSessionAsync(Session(1).Id, Ct))!.Lines.Count);
        Assert.Equal("M00000002", (await _store.GetLatestAsync(Ct))!.Id);
    }

    [Fact]
    public async Task Memory_mode_works_through_the_same_code()
    {
        await using var memory = Open("memory", _events);
        await memory.AddMessageAsync(Message(1), Raw(1), Ct);
        await memory.SaveSessionAsync(Session(1), Ct);

        Assert.Equal(Raw(1), await memory.GetRawAsync(Message(1).Id, Ct));
        var stats = await memory.GetStatsAsync(Ct);
        Assert.Equal((1, 1), (stats.Total, stats.Sessions));
        Assert.True(stats.DatabaseBytes > 0);
        Assert.False(File.Exists("memory"));
    }
}
