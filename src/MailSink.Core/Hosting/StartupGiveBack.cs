using MailSink.Storage;

namespace MailSink.Hosting;

/// <summary>
/// Once the server has started, hands back what start-up alone needed: the configuration, DI and routing garbage
/// sits in the GC's first generation and glibc's arenas until enough mail arrives to collect it, which on an idle
/// server is never. Only the mailsink command runs it: a host application decides about its own heap.
/// </summary>
internal sealed class StartupGiveBack(IHostApplicationLifetime lifetime, TimeProvider time) : BackgroundService
{
    /// <summary>Long enough for Kestrel's and the hub's first allocations to be done with.</summary>
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        await Task.Delay(Delay, time, stoppingToken).ConfigureAwait(false);
        // Aggressive: decommits the freed regions too. Its pause is no one's at this point (a plain full collection
        // left the process larger: 104.6-105.2 MB; this and the trim, 101.1-101.3 MB against 102.6-103.3 without).
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        MemoryGiveBack.TrimNative();
    }
}
