using System.Collections.Concurrent;
using System.Reflection;
using MailSink.Domain;
using MailSink.Faults;
using MailSink.Realtime;
using MailSink.Tests.TestHost;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Realtime;

/// <summary>
/// The notifier's throttling on a fake clock: a message after a quiet spell is pushed at once (leading edge), a
/// burst right after a push leaves as one messageReceived when the batch window since that push has passed, and
/// stats go out at most once per stats interval however often mail arrives.
/// </summary>
public sealed class InboxNotifierClockTests
{
    [Fact]
    public async Task A_message_after_quiet_leaves_at_once_a_burst_waits_for_the_window_and_stats_wait_for_their_interval()
    {
        var clock = new TimerWatchingClock(Epoch);
        var events = new MailboxEvents();
        await using var store = Open("memory", events, clock);
        var pushes = new RecordingInboxClients(clock);
        using var notifier = new InboxNotifier(events, store, pushes, new FaultRules(Microsoft.Extensions.Options.Options.Create(new FaultOptions())), clock, NullLogger<InboxNotifier>.Instance);
        await notifier.StartAsync(CancellationToken.None);

        // Nothing was pushed before: the first message leaves without waiting for any timer, and so do the first stats.
        await store.AddMessageAsync(Message(1), Raw(1), CancellationToken.None);
        var first = await pushes.NextAsync("messageReceived", DateTimeOffset.MinValue);
        Assert.Equal((1, Epoch), (first.Count, first.At));
        var stats = await pushes.NextAsync("stats", DateTimeOffset.MinValue);
        Assert.Equal(Epoch, stats.At);

        // Two more right after that push wait out the window since it, then leave together.
        await store.AddMessageAsync(Message(2), Raw(2), CancellationToken.None);
        Assert.Equal(InboxNotifier.BatchWindow, await clock.NextTimerAsync());
        await store.AddMessageAsync(Message(3), Raw(3), CancellationToken.None);
        clock.Advance(InboxNotifier.BatchWindow - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        Assert.Single(pushes.Calls, c => c.Method == "messageReceived");

        clock.Advance(TimeSpan.FromMilliseconds(1));
        var second = await pushes.NextAsync("messageReceived", first.At);
        Assert.Equal((2, Epoch + InboxNotifier.BatchWindow), (second.Count, second.At));

        // Their stats wait for the stats interval since the last stats ...
        Assert.Equal(InboxNotifier.StatsInterval - InboxNotifier.BatchWindow, await clock.NextTimerAsync());
        clock.Advance(InboxNotifier.StatsInterval - InboxNotifier.BatchWindow - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        Assert.DoesNotContain(pushes.Calls, c => c.Method == "stats" && c.At > stats.At);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var nextStats = await pushes.NextAsync("stats", stats.At);
        Assert.Equal(stats.At + InboxNotifier.StatsInterval, nextStats.At);

        // ... and after that quiet spell the next message leaves at once again.
        await store.AddMessageAsync(Message(4), Raw(4), CancellationToken.None);
        var third = await pushes.NextAsync("messageReceived", second.At);
        Assert.Equal((1, nextStats.At), (third.Count, third.At));

        await notifier.StopAsync(CancellationToken.None);
    }

    internal sealed record Push(string Method, DateTimeOffset At, int Count);

    /// <summary>
    /// The hub as the notifier sees it, recording what it pushes to all clients and when on the clock (a
    /// DispatchProxy over the typed client interface: no hub, no connections, the payloads counted).
    /// </summary>
    private sealed class RecordingInboxClients(TimeProvider clock) : IHubContext<InboxHub, IInboxClient>
    {
        public ConcurrentQueue<Push> Calls { get; } = new();

        public IHubClients<IInboxClient> Clients => new AllClients(this);

        public IGroupManager Groups => throw new NotSupportedException();

        /// <summary>The first push of <paramref name="method"/> later on the clock than <paramref name="after"/>.</summary>
        public async Task<Push> NextAsync(string method, DateTimeOffset after)
        {
            for (var i = 0; i < 1000; i++)
            {
                var push = Calls.FirstOrDefault(c => c.Method == method && c.At > after);
                if (push is not null)
                {
                    return push;
                }

                await Task.Delay(10);
            }

            throw new TimeoutException($"no {method} push after {after:O}");
        }

        private IInboxClient Proxy()
        {
            var proxy = DispatchProxy.Create<IInboxClient, Recorder>();
            ((Recorder)(object)proxy).Record = (method, payload) =>
                Calls.Enqueue(new Push(method, clock.GetUtcNow(), payload is System.Collections.ICollection list ? list.Count : 1));
            return proxy;
        }

        /// <summary>The notifier pushes to all clients only.</summary>
        private sealed class AllClients(RecordingInboxClients owner) : IHubClients<IInboxClient>
        {
            public IInboxClient All => owner.Proxy();

            public IInboxClient AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

            public IInboxClient Client(string connectionId) => throw new NotSupportedException();

            public IInboxClient Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();

            public IInboxClient Group(string groupName) => throw new NotSupportedException();

            public IInboxClient GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

            public IInboxClient Groups(IReadOnlyList<string> groupNames) => throw new NotSupportedException();

            public IInboxClient User(string userId) => throw new NotSupportedException();

            public IInboxClient Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();
        }
    }

    /// <summary>Each call on the typed client: its hub method name (as the browser sees it) and payload.</summary>
    public class Recorder : DispatchProxy
    {
        internal Action<string, object?> Record { get; set; } = (_, _) => { };

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var method = targetMethod!;
            var name = method.GetCustomAttribute<HubMethodNameAttribute>()?.Name ?? method.Name;
            Record(name, args is { Length: > 0 } ? args[0] : null);
            return Task.CompletedTask;
        }
    }
}
