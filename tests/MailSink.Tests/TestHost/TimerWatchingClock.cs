using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace MailSink.Tests.TestHost;

/// <summary>
/// A fake clock that tells the test when the code under test starts a timer (Task.Delay, a timeout, a
/// CancellationTokenSource on this clock), so the test advances time only once the code is waiting on it.
/// </summary>
internal sealed class TimerWatchingClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Channel<TimeSpan> _started = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _started.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer started (waiting up to 10 s of real time for it).</summary>
    public async Task<TimeSpan> NextTimerAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _started.Reader.ReadAsync(timeout.Token);
    }
}
