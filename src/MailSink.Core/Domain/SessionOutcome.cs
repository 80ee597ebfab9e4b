namespace MailSink.Domain;

/// <summary>How an SMTP session ended.</summary>
internal enum SessionOutcome
{
    Open,
    Quit,
    ClientDisconnected,
    Timeout,
    ServerError,
    ServerShutdown,
    TooManyErrors,

    /// <summary>The TLS handshake failed or timed out, or the client hung up right after it (a rejected certificate).</summary>
    TlsFailed,
    /// <summary>Closed by the server because a message went far past the size limit (Smtp:OversizeDiscardLimit).</summary>
    MessageTooBig,
    /// <summary>A fault rule closed the connection (Faults/).</summary>
    ClosedByFault,
}

/// <summary>How an outcome reads at the end of a transcript.</summary>
internal static class SessionOutcomeText
{
    public static string Describe(this SessionOutcome outcome) => outcome switch
    {
        SessionOutcome.Quit => "client sent QUIT",
        SessionOutcome.ClientDisconnected => "client closed the connection without QUIT",
        SessionOutcome.Timeout => "idle timeout",
        SessionOutcome.ServerError => "server error",
        SessionOutcome.ServerShutdown => "server shutting down",
        SessionOutcome.TooManyErrors => "closed by the server after repeated errors",
        SessionOutcome.TlsFailed => "TLS failed",
        SessionOutcome.MessageTooBig => "message too big: closed by the server",
        SessionOutcome.ClosedByFault => "closed by a fault rule",
        _ => outcome.ToString(),
    };
}
