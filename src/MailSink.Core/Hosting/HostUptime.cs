namespace MailSink.Hosting;

/// <summary>
/// How long this MailSink has been running, for /api/v1/info's RuntimeStats.Uptime. Created when the host is
/// built (MailSinkHost.Build asks for it), so it counts from start-up rather than from the first request that
/// needs it; per host, so two in-process servers in one test run each count their own.
/// </summary>
internal sealed class HostUptime(TimeProvider time)
{
    private readonly long _started = time.GetTimestamp();

    public TimeSpan Elapsed => time.GetElapsedTime(_started);
}
