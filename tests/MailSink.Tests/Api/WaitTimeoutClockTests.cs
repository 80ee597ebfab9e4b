using MailSink.Api.Wait;
using MailSink.Domain;
using MailSink.Search;
using MailSink.Tests.TestHost;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Api;

/// <summary>
/// The wait's timeout runs on the injected clock: with a fake one the test decides when it passes, to the
/// millisecond, instead of sleeping through it.
/// </summary>
public sealed class WaitTimeoutClockTests
{
    [Fact]
    public async Task A_wait_times_out_exactly_when_its_timeout_has_passed_on_the_clock()
    {
        var clock = new TimerWatchingClock(Epoch);
        var events = new MailboxEvents();
        await using var store = Open("memory", events, clock);
        using var waiters = new MessageWaiters(store, events, clock);

        var wait = waiters.WaitAsync(SearchQuery.Parse("subject:never"), WaitAfter.Anything, 1, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(30), await clock.NextTimerAsync());

        clock.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        Assert.False(wait.IsCompleted, "the wait ended before its 30 s had passed on the clock");

        clock.Advance(TimeSpan.FromMilliseconds(1));
        var result = await wait.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(result.Matches);
        Assert.Equal(0, waiters.ActiveCount);
    }

    [Fact]
    public async Task A_message_that_arrives_before_the_timeout_ends_the_wait_with_it_and_the_clock_never_moves()
    {
        var clock = new TimerWatchingClock(Epoch);
        var events = new MailboxEvents();
        await using var store = Open("memory", events, clock);
        using var waiters = new MessageWaiters(store, events, clock);

        var wait = waiters.WaitAsync(SearchQuery.Parse("subject:awaited"), WaitAfter.Anything, 1, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(30), await clock.NextTimerAsync());
        await store.AddMessageAsync(Message(1, subject: "awaited"), Raw(1), CancellationToken.None);

        var result = await wait.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["M00000001"], result.Matches!.Select(m => m.Id));
        Assert.Equal(Epoch, clock.GetUtcNow());
    }
}
