namespace MailSink.Domain;

/// <summary>One SMTP connection, with its whole transcript, kept whether or not it delivered a message.</summary>
internal sealed class SessionRecord
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

    /// <summary>A deep copy, safe to hand out while the original keeps recording.</summary>
    public SessionRecord Clone() => new()
    {
        Id = Id,
        StartedAt = StartedAt,
        EndedAt = EndedAt,
        Listener = Listener,
        ClientAddress = ClientAddress,
        ClientPort = ClientPort,
        ServerAddress = ServerAddress,
        ServerPort = ServerPort,
        Helo = Helo,
        Tls = Tls,
        AuthUser = AuthUser,
        FailedAuthAttempts = FailedAuthAttempts,
        Outcome = Outcome,
        Error = Error,
        MessageIds = [.. MessageIds],
        Lines = Lines.Select(l => new TranscriptLine { Time = l.Time, Direction = l.Direction, Text = l.Text, MessageId = l.MessageId }).ToList(),
    };
}
