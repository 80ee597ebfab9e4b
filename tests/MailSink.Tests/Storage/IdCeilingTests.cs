using MailSink.Storage;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Storage;

/// <summary>
/// The writer skips the lookup of a new message's id when it sorts above every stored id (<see cref="IdCeiling"/>).
/// The same for a session's first save. A stored id must still be found and replaced: in the engine's collation (not
/// ordinal order), after a reopen, and just after the write that raised the ceiling.
/// </summary>
public sealed class IdCeilingTests(StoreTestFolder folder) : IClassFixture<StoreTestFolder>
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task An_id_below_the_greatest_in_the_engines_collation_but_above_it_in_ordinal_order_is_replaced()
    {
        var path = folder.NewDatabaseFile();
        await using (var first = Open(path))
        {
            await first.AddMessageAsync(WithId("aa", "first"), Raw(1), Ct);
            await first.AddMessageAsync(WithId("Zz", "other"), Raw(2), Ct);
        }

        // Reopened, the ceiling is read from the _id index, which orders by LiteDB's collation; it ignores case, so
        // "Zz" is the greatest though 'a' > 'Z' in ordinal order. Compared ordinally, "aa" would pass for new and be
        // inserted a second time.
        await using var store = Open(path);
        await store.AddMessageAsync(WithId("aa", "second"), Raw(3), Ct);

        Assert.Equal(2, (await store.GetStatsAsync(Ct)).Total);
        Assert.Equal("second", (await store.GetMessageAsync("aa", Ct))!.Subject);
        Assert.Equal(Raw(3), await store.GetRawAsync("aa", Ct));
    }

    [Fact]
    public async Task After_a_reopen_the_stored_ids_are_replaced_and_a_greater_one_is_added()
    {
        var path = folder.NewDatabaseFile();
        await using (var first = Open(path))
        {
            for (var i = 1; i <= 3; i++)
            {
                await first.AddMessageAsync(Message(i), Raw(i), Ct);
            }
        }

        // A ceiling not read again from the reopened file would take M00000002 and M00000003 for new ids.
        await using var store = Open(path);
        await store.AddMessageAsync(Message(2, subject: "again 2"), Raw(20), Ct);
        await store.AddMessageAsync(Message(3, subject: "again 3"), Raw(30), Ct);
        await store.AddMessageAsync(Message(4), Raw(4), Ct);

        Assert.Equal(4, (await store.GetStatsAsync(Ct)).Total);
        Assert.Equal("again 2", (await store.GetMessageAsync(Message(2).Id, Ct))!.Subject);
        Assert.Equal("again 3", (await store.GetMessageAsync(Message(3).Id, Ct))!.Subject);
        Assert.Equal(Raw(30), await store.GetRawAsync(Message(3).Id, Ct));
    }

    [Fact]
    public async Task An_id_stored_just_before_in_a_burst_of_writes_is_replaced()
    {
        // Most likely one writer batch: the second add of M00000005 meets the ceiling the first one raised.
        await using var store = Open(folder.NewDatabaseFile());
        await Task.WhenAll(
            store.AddMessageAsync(Message(5), Raw(5), Ct),
            store.AddMessageAsync(Message(6), Raw(6), Ct),
            store.AddMessageAsync(Message(5, subject: "replaced"), Raw(50), Ct));

        Assert.Equal(2, (await store.GetStatsAsync(Ct)).Total);
        Assert.Equal("replaced", (await store.GetMessageAsync(Message(5).Id, Ct))!.Subject);
    }

    [Fact]
    public async Task A_session_saved_again_after_a_reopen_or_in_a_burst_is_updated_not_added()
    {
        var path = folder.NewDatabaseFile();
        await using (var first = Open(path))
        {
            await first.SaveSessionAsync(Session(1, MailSink.Domain.SessionOutcome.Open), Ct);
            await first.SaveSessionAsync(Session(2, MailSink.Domain.SessionOutcome.Open), Ct);
        }

        // Below the ceiling read from the reopened file: updated through the lookup, as Upsert did.
        await using var store = Open(path);
        var closed = Session(1);
        closed.Error = "closed after the reopen";
        await store.SaveSessionAsync(closed, Ct);

        // Above it: the first save inserts outright and raises the ceiling, so the second one updates.
        var third = Session(3);
        await Task.WhenAll(store.SaveSessionAsync(Session(3, MailSink.Domain.SessionOutcome.Open), Ct), store.SaveSessionAsync(third, Ct));

        Assert.Equal(3, (await store.ListSessionsAsync(0, 10, Ct)).Total);
        Assert.Equal(3, (await store.GetStatsAsync(Ct)).Sessions);
        Assert.Equal("closed after the reopen", (await store.GetSessionAsync(Session(1).Id, Ct))!.Error);
        Assert.Equal(MailSink.Domain.SessionOutcome.Quit, (await store.GetSessionAsync(Session(3).Id, Ct))!.Outcome);
    }

    private static MailSink.Domain.MessageSummary WithId(string id, string subject)
    {
        var summary = Message(1, subject: subject);
        summary.Id = id;
        return summary;
    }
}
