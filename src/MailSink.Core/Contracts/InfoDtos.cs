namespace MailSink.Contracts;

// GET /api/v1/info: Mailpit's "AppInformation" names (PascalCase, "SMTPAccepted"), plus MailSink's listeners.

/// <summary>What this MailSink is and holds; Tags maps every tag in use to its number of messages (Mailpit's shape).</summary>
internal sealed record InfoDto(
    string Version,
    string LatestVersion,
    int Messages,
    int Unread,
    int Sessions,
    long DatabaseSize,
    string Database,
    IReadOnlyDictionary<string, int> Tags,
    RuntimeStatsDto RuntimeStats,
    IReadOnlyList<ListenerDto> Listeners);

/// <summary>Counters since start-up; Uptime in whole seconds, Memory in bytes of managed heap; SMTPIgnored is always 0 (MailSink drops nothing).</summary>
internal sealed record RuntimeStatsDto(long Uptime, long Memory, long SMTPAccepted, long SMTPAcceptedSize, long SMTPRejected, long SMTPIgnored, long MessagesDeleted);

/// <summary>One bound SMTP listener: its name (smtp, submission, smtps), where it listens and its TLS mode.</summary>
internal sealed record ListenerDto(string Name, string Address, int Port, string Tls);
