using MailSink.Domain;
using MailSink.Storage;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Storage.Conformance;

/// <summary>Read state, tags, deletes, sessions, retention and the events they publish.</summary>
public abstract partial class MailStoreConformanceTests
{
    [Fact]
    public async Task Read_state_changes_by_id_and_for_all_publish_updates_with_tags()
    {
        var store = await OpenAsync();
        for (var n = 1; n <= 4; n++)
        {
            await store.AddMessageAsync(Message(n), Raw(n), Ct);
        }

        await store.SetTagsAsync([Message(2).Id], ["urgent"], Ct);
        var seen = Record(Events);

        Assert.Equal(1, await store.SetReadAsync([Message(2).Id, "missing"], true, Ct));
        Assert.Equal(0, await store.SetReadAsync([Message(2).Id], true, Ct));
        Assert.Equal(3, (await store.GetStatsAsync(Ct)).Unread);
        var update = Assert.IsType<MessageUpdated>(Assert.Single(seen));
        Assert.Equal(new[] { "urgent" }, update.Tags);
        Assert.True(update.Read);
        Assert.True((await store.GetMessageAsync(Message(2).Id, Ct))!.Read);

        Assert.Equal(3, await store.SetReadAsync(null, true, Ct));
        Assert.Equal(0, (await store.GetStatsAsync(Ct)).Unread);
        Assert.Equal(4, seen.Count);

        Assert.Equal(4, await store.SetReadAsync(null, false, Ct));
        Assert.Equal(4, (await store.GetStatsAsync(Ct)).Unread);
        Assert.All(seen.Skip(4), e => Assert.False(Assert.IsType<MessageUpdated>(e).Read));
    }

    [Fact]
    public async Task Tags_are_set_added_renamed_deleted_counted_and_published()
    {
        var store = await OpenAsync();
        for (var n = 1; n <= 3; n++)
        {
            await store.AddMessageAsync(Message(n), Raw(n), Ct);
        }

        var seen = Record(Events);
        Assert.Equal(2, await store.SetTagsAsync([Message(1).Id, Message(2).Id, "missing"], ["alpha", "beta"], Ct));
        Assert.Equal(2, seen.Count);
        Assert.Equal(new Dictionary<string, int> { ["alpha"] = 2, ["beta"] = 2 }, await store.GetTagCountsAsync(Ct));

        Assert.Equal(1, await store.AddTagsAsync(Message(1).Id, ["zeta", "alpha"], Ct));
        Assert.Equal(0, await store.AddTagsAsync("missing", ["zeta"], Ct));
        Assert.Equal(["alpha", "beta", "zeta"], (await store.GetMessageAsync(Message(1).Id, Ct))!.Tags);

        seen.Clear();
        Assert.Equal(0, await store.RenameTagAsync("Alpha", "gamma", Ct));
        Assert.Equal(2, await store.RenameTagAsync("alpha", "gamma", Ct));
        Assert.Equal(["beta", "gamma"], (await store.GetMessageAsync(Message(2).Id, Ct))!.Tags);
        Assert.Equal([Message(1).Id, Message(2).Id], seen.Cast<MessageUpdated>().Select(u => u.Id).Order(StringComparer.Ordinal));
        Assert.Equal(new Dictionary<string, int> { ["beta"] = 2, ["gamma"] = 2, ["zeta"] = 1 }, await store.GetTagCountsAsync(Ct));

        Assert.Equal(2, await store.DeleteTagAsync("beta", Ct));
        Assert.Equal(0, await store.DeleteTagAsync("beta", Ct));
        Assert.Equal(["gamma"], (await store.GetMessageAsync(Message(2).Id, Ct))!.Tags);
        Assert.Equal(3, (await store.GetStatsAsync(Ct)).Total);

        Assert.Equal(1, await store.SetTagsAsync([Message(1).Id], [], Ct));
        Assert.Equal(new Dictionary<string, int> { ["gamma"] = 1 }, await store.GetTagCountsAsync(Ct));
    }

    [Fact]
    public async Task Delete_by_ids_removes_messages_and_raw_but_keeps_sessions()
    {
        var store = await OpenAsync();
        for (var n = 1; n <= 3; n++)
        {
            await store.AddMessageAsync(Message(n), Raw(n), Ct);
            await store.SaveSessionAsync(Session(n), Ct);
        }

        await store.SetReadAsync([Message(3).Id], true, Ct);
        var seen = Record(Events);

        Assert.Equal(2, await store.DeleteMessagesAsync([Message(1).Id, Message(3).Id, "missing"], Ct));

        var page = await store.ListMessagesAsync(0, 10, null, Ct);
        Assert.Equal([Message(2).Id], page.Items.Select(m => m.Id));
        Assert.Equal(1, page.Total);
        Assert.Equal(1, (await store.GetStatsAsync(Ct)).Unread);
        Assert.Null(await store.GetRawAsync(Message(1).Id, Ct));
        Assert.NotNull(await store.GetRawAsync(Message(2).Id, Ct));
        Assert.NotNull(await store.GetSessionAsync(Session(1).Id, Ct));
        var deleted = Assert.IsType<MessagesDeleted>(Assert.Single(seen));
        Assert.Equal([Message(1).Id, Message(3).Id], deleted.Ids!.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Delete_all_removes_messages_raw_and_sessions_and_says_how_many()
    {
        var store = await OpenAsync();
        for (var n = 1; n <= 3; n++)
        {
            await store.AddMessageAsync(Message(n), Raw(n), Ct);
            await store.SaveSessionAsync(Session(n), Ct);
        }

        var seen = Record(Events);

        Assert.Equal(3, await store.DeleteMessagesAsync(null, Ct));

        var stats = await store.GetStatsAsync(Ct);
        Assert.Equal((0, 0, 0), (stats.Total, stats.Unread, stats.Sessions));
        Assert.Null(await store.GetRawAsync(Message(2).Id, Ct));
        var deleted = Assert.IsType<MessagesDeleted>(Assert.Single(seen));
        Assert.Null(deleted.Ids);
        Assert.Equal(3, deleted.Count);

        await store.AddMessageAsync(Message(9), Raw(9), Ct);
        Assert.Equal(1, (await store.GetStatsAsync(Ct)).Total);
    }

    [Fact]
    public async Task Sessions_are_saved_replaced_listed_newest_first_with_transcripts_and_closed_events()
    {
        var store = await OpenAsync();
        var seen = Record(Events);
        var open = Session(1, SessionOutcome.Open);
        await store.SaveSessionAsync(open, Ct);
        await store.SaveSessionAsync(Session(2), Ct);
        await store.SaveSessionAsync(Session(1, SessionOutcome.ClientDisconnected), Ct);

        var stored = await store.GetSessionAsync(open.Id, Ct);
        Assert.Equal(SessionOutcome.ClientDisconnected, stored!.Outcome);
        Assert.Equal(open.Lines.Select(l => (l.Time, l.Text, l.Direction, l.MessageId)), stored.Lines.Select(l => (l.Time, l.Text, l.Direction, l.MessageId)));
        Assert.Equal(open.StartedAt, stored.StartedAt);
        Assert.Null(await store.GetSessionAsync("missing", Ct));

        var page = await store.ListSessionsAsync(0, 10, Ct);
        Assert.Equal(2, page.Total);
        Assert.Equal([Session(2).Id, Session(1).Id], page.Items.Select(s => s.Id));
        Assert.All(page.Items, s => Assert.Equal(3, s.LineCount));
        Assert.Equal([Message(2).Id], page.Items[0].MessageIds);
        Assert.Equal([Session(1).Id], (await store.ListSessionsAsync(1, 10, Ct)).Items.Select(s => s.Id));

        // The open save published nothing; the two closed ones did.
        Assert.Equal([Session(2).Id, Session(1).Id], seen.Select(e => Assert.IsType<SessionClosed>(e).Session.Id));
        Assert.Equal(2, (await store.GetStatsAsync(Ct)).Sessions);
    }

    [Fact]
    public async Task A_message_stored_with_its_open_session_keeps_both_and_announces_only_the_message()
    {
        var store = await OpenAsync();
        var seen = Record(Events);
        await store.AddMessageAsync(Message(1), Raw(1), Session(1, SessionOutcome.Open), Ct);
        await store.SaveSessionAsync(Session(2, SessionOutcome.Open), Ct);
        await store.AddMessageAsync(Message(2), Raw(2), Ct);

        Assert.Equal(SessionOutcome.Open, (await store.GetSessionAsync(Session(1).Id, Ct))!.Outcome);
        Assert.NotNull(await store.GetSessionAsync(Session(2).Id, Ct));
        Assert.Equal((2, 2), ((await store.GetStatsAsync(Ct)).Total, (await store.GetStatsAsync(Ct)).Sessions));
        Assert.All(seen, e => Assert.IsType<MessageStored>(e));
    }

    [Fact]
    public async Task Long_subjects_and_NUL_characters_are_stored()
    {
        var store = await OpenAsync();
        var subject = string.Concat(Enumerable.Repeat("Ünïcödé 😀", 200));
        await store.AddMessageAsync(Message(1, subject: subject, from: new string('x', 1500) + "@example.com"), Raw(1), Ct);
        var hostile = Message(2, subject: "nul\0inside");
        hostile.SearchText = "nul\0inside";
        await store.AddMessageAsync(hostile, Raw(2), Ct);

        Assert.Equal(subject, (await store.GetMessageAsync(Message(1).Id, Ct))!.Subject);

        // PostgreSQL text cannot hold U+0000: it may come back as U+FFFD, but the message is stored.
        Assert.Equal("nul\0inside", (await store.GetMessageAsync(Message(2).Id, Ct))!.Subject.Replace('\uFFFD', '\0'));
    }

    [Fact]
    public async Task Storing_the_same_id_twice_replaces_without_double_counting()
    {
        var store = await OpenAsync();
        await store.AddMessageAsync(Message(1), Raw(1), Ct);
        await store.AddMessageAsync(Message(1, subject: "again"), Raw(2), Ct);

        var stats = await store.GetStatsAsync(Ct);
        Assert.Equal((1, 1), (stats.Total, stats.Unread));
        Assert.Equal("again", (await store.GetMessageAsync(Message(1).Id, Ct))!.Subject);
        Assert.Equal(Raw(2), await store.GetRawAsync(Message(1).Id, Ct));
    }

    [Fact]
    public async Task Stats_report_counts_and_a_size()
    {
        var store = await OpenAsync();
        await store.AddMessageAsync(Message(1), Raw(1), Ct);
        await store.AddMessageAsync(Message(2), Raw(2), Ct);
        await store.SetReadAsync([Message(1).Id], true, Ct);
        await store.SaveSessionAsync(Session(1), Ct);

        var stats = await store.GetStatsAsync(Ct);

        Assert.Equal((2, 1, 1), (stats.Total, stats.Unread, stats.Sessions));
        Assert.True(stats.DatabaseBytes > 0);
        Assert.Null(stats.WritesRefused);
    }

    [Fact]
    public async Task An_event_is_published_after_the_commit_so_its_message_is_readable()
    {
        var store = await OpenAsync();
        var reads = new List<Task<MessageSummary?>>();
        Events.Subscribe(e =>
        {
            if (e is MessageStored stored)
            {
                lock (reads)
                {
                    reads.Add(Task.Run(() => store.GetMessageAsync(stored.Summary.Id, Ct)));
                }
            }
        });

        await Task.WhenAll(Enumerable.Range(1, 20).Select(n => store.AddMessageAsync(Message(n), Raw(n), Ct)));

        Assert.Equal(20, reads.Count);
        Assert.All(await Task.WhenAll(reads), Assert.NotNull);
    }

    [Fact]
    public async Task Prune_by_count_keeps_the_newest_and_removes_raw_and_orphan_sessions()
    {
        var store = await OpenAsync();
        for (var n = 1; n <= 10; n++)
        {
            await store.AddMessageAsync(Message(n), Raw(n), Ct);
            await store.SaveSessionAsync(Session(n), Ct);
        }

        await store.SaveSessionAsync(Session(99, startedAt: Epoch.AddHours(1)), Ct);
        var seen = Record(Events);

        Assert.Equal(6, await store.PruneAsync(4, null, Ct));

        var page = await store.ListMessagesAsync(0, 100, null, Ct);
        Assert.Equal(["M00000010", "M00000009", "M00000008", "M00000007"], page.Items.Select(m => m.Id));
        Assert.Equal(4, page.Total);
        Assert.Null(await store.GetRawAsync(Message(1).Id, Ct));
        var sessions = await store.ListSessionsAsync(0, 100, Ct);
        Assert.Equal([Session(99).Id, Session(10).Id, Session(9).Id, Session(8).Id], sessions.Items.Select(s => s.Id));
        Assert.Equal(4, sessions.Total);
        Assert.Equal(6, Assert.IsType<MessagesDeleted>(Assert.Single(seen)).Ids!.Count);
        Assert.Equal(0, await store.PruneAsync(4, null, Ct));
    }

    [Fact]
    public async Task Prune_by_age_uses_the_injected_clock()
    {
        var store = await OpenAsync();
        for (var n = 1; n <= 10; n++)
        {
            await store.AddMessageAsync(Message(n), Raw(n), Ct);
            await store.SaveSessionAsync(Session(n), Ct);
        }

        Assert.Equal(0, await store.PruneAsync(1_000, TimeSpan.FromHours(1), Ct));

        Time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(4.5));
        Assert.Equal(5, await store.PruneAsync(1_000, TimeSpan.FromHours(1), Ct));
        var kept = await store.ListMessagesAsync(0, 100, null, Ct);
        Assert.Equal(["M00000010", "M00000009", "M00000008", "M00000007", "M00000006"], kept.Items.Select(m => m.Id));
        Assert.Equal(5, (await store.ListSessionsAsync(0, 100, Ct)).Total);

        Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(5, await store.PruneAsync(1_000, TimeSpan.FromHours(1), Ct));
        var stats = await store.GetStatsAsync(Ct);
        Assert.Equal((0, 0, 0), (stats.Total, stats.Unread, stats.Sessions));
    }

    [Fact]
    public async Task Sessions_are_capped_at_the_message_limit()
    {
        var store = await OpenAsync();
        for (var n = 1; n <= 8; n++)
        {
            await store.SaveSessionAsync(Session(n), Ct);
        }

        await store.PruneAsync(3, null, Ct);

        var page = await store.ListSessionsAsync(0, 100, Ct);
        Assert.Equal([Session(8).Id, Session(7).Id, Session(6).Id], page.Items.Select(s => s.Id));
        Assert.Equal(3, page.Total);
    }
}
