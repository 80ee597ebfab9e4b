namespace MailSink.Domain;

/// <summary>A session without its transcript, for lists.</summary>
internal sealed record SessionSummary(
    string Id,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string Listener,
    string ClientAddress,
    string Helo,
    TlsInfo? Tls,
    string? AuthUser,
    SessionOutcome Outcome,
    string? Error,
    int FailedAuthAttempts,
    IReadOnlyList<string> MessageIds,
    int LineCount,
    IReadOnlyList<string> Faults)
{
    public static SessionSummary From(SessionRecord s) => new(
        s.Id, s.StartedAt, s.EndedAt, s.Listener, s.ClientAddress, s.Helo, s.Tls, s.AuthUser,
        s.Outcome, s.Error, s.FailedAuthAttempts, s.MessageIds.ToArray(), s.Lines.Count, s.Faults.ToArray());
}
