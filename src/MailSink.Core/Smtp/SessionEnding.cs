using MailSink.Domain;

namespace MailSink.Smtp;

/// <summary>
/// What <see cref="SmtpConversation"/> saw that bears on how the session ended, and the one place
/// that ranks those signals into a <see cref="SessionOutcome"/>.
/// </summary>
internal sealed class SessionEnding
{
    public bool QuitSeen { get; set; }

    public bool ClientClosed { get; set; }

    public bool TimedOut { get; set; }

    public bool ClosedForErrors { get; set; }

    public bool ClosedForSize { get; set; }

    public bool ClosedForShutdown { get; set; }

    public bool ClosedByFault { get; set; }

    /// <summary>The code of the last complete reply the server wrote.</summary>
    public string? LastReplyCode { get; set; }

    /// <summary>Why the TLS handshake failed; null while it has not.</summary>
    public string? TlsFailure { get; set; }

    /// <summary>
    /// The explanation for a client that completed the TLS handshake and hung up before saying anything
    /// over it (it rejected the certificate); null once it spoke.
    /// </summary>
    public string? RejectedAfterHandshake { get; set; }

    /// <summary>
    /// Takes a hang-up right after the handshake as the certificate rejection it is; true when it did,
    /// so the caller can note the failure in the transcript.
    /// </summary>
    public bool AdoptRejectedCertificate(SessionOutcome fallback)
    {
        if (TlsFailure is null && RejectedAfterHandshake is not null && (ClientClosed || fallback == SessionOutcome.ServerError))
        {
            TlsFailure = RejectedAfterHandshake;
            return true;
        }

        return false;
    }

    /// <summary>
    /// The outcome, the most specific signal first; <paramref name="fallback"/> (what the host saw) when
    /// nothing on the wire decides. A shutdown beats a TLS failure: the server, not the client, cut it short.
    /// </summary>
    public SessionOutcome Decide(SessionOutcome fallback) =>
        TlsFailure is not null && fallback != SessionOutcome.ServerShutdown ? SessionOutcome.TlsFailed
        : QuitSeen ? SessionOutcome.Quit
        : ClosedForShutdown ? SessionOutcome.ServerShutdown
        : ClosedForSize ? SessionOutcome.MessageTooBig
        : ClosedByFault ? SessionOutcome.ClosedByFault
        : TimedOut ? SessionOutcome.Timeout
        : fallback is SessionOutcome.ServerError or SessionOutcome.ServerShutdown ? fallback
        : ClosedForErrors ? SessionOutcome.TooManyErrors
        : ClientClosed ? SessionOutcome.ClientDisconnected
        : LastReplyCode is { } code && code[0] == '5' ? SessionOutcome.TooManyErrors
        : fallback;
}
