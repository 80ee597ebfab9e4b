namespace MailSink.Domain;

/// <summary>How an SMTP session ended.</summary>
public enum SessionOutcome
{
    Open,
    Quit,
    ClientDisconnected,
    Timeout,
    ServerError,
    ServerShutdown,
    TooManyErrors,

    /// <summary>A fault rule closed the connection (Faults/).</summary>
    ClosedByFault,
}

/// <summary>How an outcome reads at the end of a transcript.</summary>
public static class SessionOutcomeText
{
    public static string Describe(this SessionOutcome outcome) => outcome switch
    {
        SessionOutcome.Quit => "client sent QUIT",
        SessionOutcome.ClientDisconnected => "client closed the connection without QUIT",
        SessionOutcome.Timeout => "idle timeout",
        SessionOutcome.ServerError => "server error",
        SessionOutcome.ServerShutdown => "server shutting down",
        SessionOutcome.TooManyErrors => "closed by the server after repeated errors",
        SessionOutcome.ClosedByFault => "closed by a fault rule",
        _ => outcome.ToString(),
    };
}
