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

    /// <summary>IDs of the fault rules that fired in this session (Faults/), in the order they first fired.</summary>
    public List<string> Faults { get; set; } = [];
    public List<TranscriptLine> Lines { get; set; } = [];

    /// <summary>Lines left out of a long transcript; one line in <see cref="Lines"/> says so, at <see cref="ElidedAt"/>.</summary>
    public int ElidedLines { get; set; }

    /// <summary>Where the line saying what was left out sits in <see cref="Lines"/> (the number of head lines kept).</summary>
    public int ElidedAt { get; set; }

    /// <summary>
    /// Where the line numbered <paramref name="line"/> (counting every line ever recorded, as messages
    /// refer to their transaction) sits in <see cref="Lines"/>; a line left out maps to the line saying so.
    /// </summary>
    public int Position(int line) =>
        ElidedLines == 0 || line < ElidedAt ? line
        : line < ElidedAt + ElidedLines ? ElidedAt
        : line - ElidedLines + 1;

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
        ElidedLines = ElidedLines,
        ElidedAt = ElidedAt,
        Faults = [.. Faults],
        Lines = Lines.Select(l => new TranscriptLine { Time = l.Time, Direction = l.Direction, Text = l.Text, MessageId = l.MessageId }).ToList(),
    };
}
