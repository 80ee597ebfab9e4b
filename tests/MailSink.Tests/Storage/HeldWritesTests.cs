using MailSink.Domain;
using MailSink.Storage;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Storage;

/// <summary>
/// A closed session's save may be held by the writer and committed with the next write (MessageWriteQueue.Holding):
/// it still commits on its own when nothing follows, before the writer stops, and before the writes queued after it.
/// </summary>
public sealed class HeldWritesTests(StoreTestFolder folder) : IClassFixture<StoreTestFolder>
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task A_closed_sessions_save_with_nothing_after_it_commits_on_its_own()
    {
        var events = new MailboxEvents();
        var seen = Record(events);

        // A frozen clock: the hold is timed in real time, so a test's TimeProvider cannot keep the save back.
        await using var store = Open(folder.NewDatabaseFile(), events, new FrozenTime());

        // The store's own start-up writes are done once this one is: after it, nothing else is queued.
        await store.AddMessageAsync(Message(1), Raw(1), Ct);
        await store.SaveSessionAsync(Session(1), Ct).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.NotNull(await store.GetSessionAsync(Session(1).Id, Ct));
        Assert.Single(seen.OfType<SessionClosed>());
    }

    [Fact]
    public async Task A_held_save_commits_before_the_delete_queued_after_it()
    {
        await using var store = Open(folder.NewDatabaseFile());
        await store.AddMessageAsync(Message(1), Raw(1), Ct);

        // Held first in the batch: were it committed after the delete-all, the session would be back.
        var save = store.SaveSessionAsync(Session(2), Ct);
        var delete = store.DeleteMessagesAsync(null, Ct);
        await Task.WhenAll(save, delete);

        Assert.Equal(0, (await store.ListSessionsAsync(0, 10, Ct)).Total);
        Assert.Equal(0, (await store.GetStatsAsync(Ct)).Total);
    }

    [Fact]
    public async Task Saves_held_when_the_store_closes_are_in_the_file_when_it_opens_again()
    {
        var path = folder.NewDatabaseFile();
        Task[] saves;
        await using (var store = Open(path))
        {
            // After the start-up writes, so that nothing but these saves is queued when the store closes.
            await store.AddMessageAsync(Message(1), Raw(1), Ct);
            saves = Enumerable.Range(1, 5).Select(n => store.SaveSessionAsync(Session(n), Ct)).ToArray();
        }

        await Task.WhenAll(saves).WaitAsync(TimeSpan.FromSeconds(10));
        await using var reopened = Open(path);
        Assert.Equal(5, (await reopened.ListSessionsAsync(0, 10, Ct)).Total);
    }

    /// <summary>A clock that never moves and whose timers never fire.</summary>
    private sealed class FrozenTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Epoch;

        public override long GetTimestamp() => 0;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new NoTimer();

        private sealed class NoTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
