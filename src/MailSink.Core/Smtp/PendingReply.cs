namespace MailSink.Smtp;

/// <summary>
/// A client command (or the end of DATA) still waiting for its reply. <see cref="Replacement"/> is
/// set when MailSink answers instead of SmtpServer: the library's reply to that command is then
/// replaced on the wire, so there is still exactly one reply per command, in order (RFC 2920 section 3.1).
/// </summary>
internal sealed class PendingReply(string verb, string? recipient = null)
{
    /// <summary>The command verb, "AUTH" for an AUTH continuation line, <see cref="TranscriptMarkers.DataEnd"/> for the content.</summary>
    public string Verb { get; } = verb;

    /// <summary>The raw address of a RCPT command, recorded once the reply accepts it.</summary>
    public string? Recipient { get; } = recipient;

    /// <summary>The whole reply line (code, enhanced code, text) to send instead of the library's.</summary>
    public string? Replacement { get; set; }
}
