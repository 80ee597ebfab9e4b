namespace MailSink.Smtp;

/// <summary>
/// The names of the three SMTP listeners, as the API, the transcript, fault rules (<c>Match.Listener</c>) and the
/// in-process server's ports spell them: lower case, one word each.
/// </summary>
internal static class ListenerNames
{
    /// <summary>Plain SMTP (port 1025 by default, STARTTLS offered).</summary>
    public const string Smtp = "smtp";

    /// <summary>Message submission (RFC 6409, port 587 when enabled).</summary>
    public const string Submission = "submission";

    /// <summary>SMTP over implicit TLS (RFC 8314, port 465 when enabled).</summary>
    public const string Smtps = "smtps";
}
