using System.Text.Json.Serialization;

namespace MailSink.Client;

/// <summary>One line of an SMTP transcript.</summary>
public sealed record TranscriptLine
{
    /// <summary>When it was sent or happened.</summary>
    public DateTimeOffset Time { get; init; }

    /// <summary>client, server or event.</summary>
    public string Direction { get; init; } = "";

    /// <summary>The line (AUTH credentials redacted).</summary>
    public string Text { get; init; } = "";

    /// <summary>On the DATA marker event line, the ID of the message stored.</summary>
    [JsonPropertyName("MessageID")]
    public string? MessageId { get; init; }
}

/// <summary>An SMTP session (one connection), without its transcript.</summary>
public record SessionSummary
{
    /// <summary>The session's ID.</summary>
    [JsonPropertyName("ID")]
    public string Id { get; init; } = "";

    /// <summary>When the client connected.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ended, or null while it is open.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>smtp, submission or smtps.</summary>
    public string Listener { get; init; } = "";

    /// <summary>The client's IP address.</summary>
    public string ClientAddress { get; init; } = "";

    /// <summary>The EHLO or HELO name.</summary>
    public string Helo { get; init; } = "";

    /// <summary>TLS of the connection, or null.</summary>
    public TlsInfo? Tls { get; init; }

    /// <summary>The SMTP AUTH user, or null.</summary>
    public string? AuthUser { get; init; }

    /// <summary>open, quit, client-disconnected, timeout, server-error, server-shutdown, too-many-errors, tls-failed or message-too-big.</summary>
    public string Outcome { get; init; } = "";

    /// <summary>What went wrong, when the outcome is an error.</summary>
    public string? Error { get; init; }

    /// <summary>Failed AUTH attempts in the session.</summary>
    public int FailedAuthAttempts { get; init; }

    /// <summary>IDs of the messages the session delivered.</summary>
    [JsonPropertyName("MessageIDs")]
    public IReadOnlyList<string> MessageIds { get; init; } = [];

    /// <summary>Lines in the transcript.</summary>
    public int LineCount { get; init; }

    /// <summary>IDs of the fault rules that fired in this session.</summary>
    public IReadOnlyList<string> Faults { get; init; } = [];
}

/// <summary>An SMTP session with its whole transcript.</summary>
public sealed record Session : SessionSummary
{
    /// <summary>The client's port.</summary>
    public int ClientPort { get; init; }

    /// <summary>The address MailSink accepted on.</summary>
    public string ServerAddress { get; init; } = "";

    /// <summary>The port MailSink accepted on.</summary>
    public int ServerPort { get; init; }

    /// <summary>The transcript, in order.</summary>
    public IReadOnlyList<TranscriptLine> Lines { get; init; } = [];
}

/// <summary>A message's transaction within the transcript of the session that delivered it.</summary>
public sealed record MessageTranscript
{
    /// <summary>The session.</summary>
    public SessionSummary Session { get; init; } = new();

    /// <summary>Index of the transaction's first line (MAIL FROM) in <see cref="Lines"/>.</summary>
    public int TransactionFirstLine { get; init; }

    /// <summary>Index of the transaction's last line (the reply to the final dot).</summary>
    public int TransactionLastLine { get; init; }

    /// <summary>The whole session's transcript.</summary>
    public IReadOnlyList<TranscriptLine> Lines { get; init; } = [];

    /// <summary>Only this message's transaction.</summary>
    public IEnumerable<TranscriptLine> Transaction =>
        Lines.Skip(TransactionFirstLine).Take(Math.Max(0, TransactionLastLine - TransactionFirstLine + 1));
}
