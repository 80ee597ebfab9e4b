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
}

/// <summary>One SMTP connection, with its whole transcript, kept whether or not it delivered a message.</summary>
public sealed class SessionRecord
{
    public string Id { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string Listener { get; set; } = "";
    public string ClientAddress { get; set; } = "";
    public int ClientPort { get; set; }
    public string ServerAddress { get; set; } = "";
    public int ServerPort { get; set; }
    public string Helo { get; set; } = "";
    public TlsInfo? Tls { get; set; }
    public string? AuthUser { get; set; }

    /// <summary>AUTH attempts that were refused (fault injection) or aborted.</summary>
    public int FailedAuthAttempts { get; set; }
    public SessionOutcome Outcome { get; set; }
    public string? Error { get; set; }
    public List<string> MessageIds { get; set; } = [];
    public List<TranscriptLine> Lines { get; set; } = [];
}
