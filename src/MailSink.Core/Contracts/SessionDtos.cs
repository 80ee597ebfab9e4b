using System.Text.Json.Serialization;
using MailSink.Domain;

namespace MailSink.Contracts;

/// <summary>One transcript line: direction is client, server or event.</summary>
internal sealed record TranscriptLineDto(DateTimeOffset Time, string Direction, string Text, string? MessageID)
{
    public static TranscriptLineDto From(TranscriptLine l) => new(l.Time, l.Direction switch
    {
        TranscriptDirection.Client => "client",
        TranscriptDirection.Server => "server",
        _ => "event",
    }, l.Text, l.MessageId);
}

/// <summary>A session without its lines.</summary>
internal sealed record SessionSummaryDto(
    string ID,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string Listener,
    string ClientAddress,
    string Helo,
    TlsInfo? Tls,
    string? AuthUser,
    string Outcome,
    string? Error,
    int FailedAuthAttempts,
    IReadOnlyList<string> MessageIDs,
    int LineCount,
    IReadOnlyList<string> Faults)
{
    public static SessionSummaryDto From(SessionSummary s) => new(
        s.Id, s.StartedAt, s.EndedAt, s.Listener, s.ClientAddress, s.Helo, s.Tls, s.AuthUser,
        OutcomeName(s.Outcome), s.Error, s.FailedAuthAttempts, s.MessageIds, s.LineCount, s.Faults);

    public static string OutcomeName(SessionOutcome o) => o switch
    {
        SessionOutcome.Open => "open",
        SessionOutcome.Quit => "quit",
        SessionOutcome.ClientDisconnected => "client-disconnected",
        SessionOutcome.Timeout => "timeout",
        SessionOutcome.ServerError => "server-error",
        SessionOutcome.ServerShutdown => "server-shutdown",
        SessionOutcome.TooManyErrors => "too-many-errors",
        SessionOutcome.TlsFailed => "tls-failed",
        SessionOutcome.MessageTooBig => "message-too-big",
        SessionOutcome.ClosedByFault => "closed-by-fault",
        _ => o.ToString().ToLowerInvariant(),
    };
}

/// <summary>A whole session with its transcript.</summary>
internal sealed record SessionDto(
    string ID,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string Listener,
    string ClientAddress,
    int ClientPort,
    string ServerAddress,
    int ServerPort,
    string Helo,
    TlsInfo? Tls,
    string? AuthUser,
    string Outcome,
    string? Error,
    int FailedAuthAttempts,
    IReadOnlyList<string> MessageIDs,
    int LineCount,
    IReadOnlyList<string> Faults,
    IReadOnlyList<TranscriptLineDto> Lines)
{
    public static SessionDto From(SessionRecord s) => new(
        s.Id, s.StartedAt, s.EndedAt, s.Listener, s.ClientAddress, s.ClientPort, s.ServerAddress, s.ServerPort, s.Helo, s.Tls,
        s.AuthUser, SessionSummaryDto.OutcomeName(s.Outcome), s.Error, s.FailedAuthAttempts, s.MessageIds, s.Lines.Count, s.Faults,
        s.Lines.Select(TranscriptLineDto.From).ToList());
}

/// <summary>A page of sessions.</summary>
internal sealed record SessionsPageDto(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("start")] int Start,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("sessions")] IReadOnlyList<SessionSummaryDto> Sessions);
