namespace MailSink.Smtp;

/// <summary>
/// Strings that one part of the SMTP layer writes and another reads back to recognise it. Kept in one
/// place so a producer reworded in one file cannot silently stop matching its consumer in another.
/// </summary>
internal static class TranscriptMarkers
{
    /// <summary>
    /// The pseudo-verb of the reply owed for a DATA's content (after its final dot): queued by
    /// <see cref="SmtpConversation"/>, classified by <see cref="ReplyRewriter"/>.
    /// </summary>
    public const string DataEnd = "DATA-END";

    /// <summary>
    /// Start of the transcript event line marking a DATA's content; the message ID is appended to the
    /// newest unbound one once the message is stored (<see cref="SessionRecorder.MessageAccepted"/>).
    /// </summary>
    public const string DataContent = "DATA content";

    /// <summary>Text of the 421 sent after SmtpServer's last retry; seeing it, the session ends as too many errors.</summary>
    public const string TooManyErrors = "Too many errors";

    /// <summary>The whole 421 reply <see cref="ReplyRewriter"/> sends after the library's last retry.</summary>
    public const string TooManyErrorsReply = $"421 4.7.0 {TooManyErrors}, closing connection";

    /// <summary>Start of the event line, and of the session's error, when TLS failed (during the handshake or by a hang-up after it).</summary>
    public const string TlsHandshakeFailed = "TLS handshake failed: ";
}
