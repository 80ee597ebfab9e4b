namespace MailSink.Smtp;

/// <summary>
/// The drain signal for a graceful stop (SIGTERM, Ctrl+C). Once raised, listeners stop accepting, a session
/// waiting for its next command is told 421 4.3.2 and closed (RFC 5321 section 3.8: a server that must shut
/// down answers the next command with 421 and closes), and a session in the middle of DATA may finish it:
/// its message is stored and answered before the 421.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Never disposed on purpose: sessions still finishing after the host stopped read Draining, and a disposed source's Token throws; a source without timers holds nothing to release.")]
internal sealed class SmtpShutdown
{
    public const string Reply = "421 4.3.2 Service shutting down, try again later\r\n";

    private readonly CancellationTokenSource _draining = new();

    /// <summary>Cancelled when the drain begins.</summary>
    public CancellationToken Draining => _draining.Token;

    public bool IsDraining => _draining.IsCancellationRequested;

    public Task BeginDrainAsync() => _draining.CancelAsync();
}
