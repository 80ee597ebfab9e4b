using System.Text.Json.Serialization;
using MailSink.Domain;

namespace MailSink.Realtime;

// Minimal hub payloads in the API contract's shapes (docs: /work/api-contract.md). The property names are
// pinned with attributes so SignalR's camelCase payload policy cannot change them. When Api/ grows its own
// DTO records for MessageSummary and SessionSummary, the hub should send those instead of these.

/// <summary>A mailbox as the contract writes it: {"Name","Address"}.</summary>
public sealed record HubAddress(
    [property: JsonPropertyName("Name")] string Name,
    [property: JsonPropertyName("Address")] string Address)
{
    public static HubAddress From(EmailAddress a) => new(a.Name, a.Address);
}

/// <summary>TLS as the contract writes it: {"Protocol","CipherSuite"}.</summary>
public sealed record HubTls(
    [property: JsonPropertyName("Protocol")] string Protocol,
    [property: JsonPropertyName("CipherSuite")] string CipherSuite)
{
    public static HubTls? From(TlsInfo? t) => t is null ? null : new(t.Protocol, t.CipherSuite);
}

/// <summary>The contract's MessageSummary (list row), with MailSink's extras.</summary>
public sealed record HubMessageSummary
{
    [JsonPropertyName("ID")] public required string Id { get; init; }
    [JsonPropertyName("MessageID")] public required string MessageId { get; init; }
    [JsonPropertyName("Read")] public bool Read { get; init; }
    [JsonPropertyName("From")] public HubAddress? From { get; init; }
    [JsonPropertyName("To")] public required IReadOnlyList<HubAddress> To { get; init; }
    [JsonPropertyName("Cc")] public required IReadOnlyList<HubAddress> Cc { get; init; }
    [JsonPropertyName("Bcc")] public required IReadOnlyList<HubAddress> Bcc { get; init; }
    [JsonPropertyName("ReplyTo")] public required IReadOnlyList<HubAddress> ReplyTo { get; init; }
    [JsonPropertyName("Subject")] public required string Subject { get; init; }
    [JsonPropertyName("Created")] public DateTimeOffset Created { get; init; }
    [JsonPropertyName("Username")] public required string Username { get; init; }
    [JsonPropertyName("Tags")] public required IReadOnlyList<string> Tags { get; init; }
    [JsonPropertyName("Size")] public long Size { get; init; }
    [JsonPropertyName("Attachments")] public int Attachments { get; init; }
    [JsonPropertyName("Snippet")] public required string Snippet { get; init; }
    [JsonPropertyName("SessionID")] public required string SessionId { get; init; }
    [JsonPropertyName("HasHtml")] public bool HasHtml { get; init; }
    [JsonPropertyName("HasText")] public bool HasText { get; init; }
    [JsonPropertyName("Warnings")] public required IReadOnlyList<string> Warnings { get; init; }
    [JsonPropertyName("Listener")] public required string Listener { get; init; }
    [JsonPropertyName("Tls")] public HubTls? Tls { get; init; }
    [JsonPropertyName("MailFrom")] public required string MailFrom { get; init; }
    [JsonPropertyName("RcptTo")] public required IReadOnlyList<string> RcptTo { get; init; }

    public static HubMessageSummary Create(MessageSummary m) => new()
    {
        Id = m.Id,
        MessageId = m.MessageId ?? "",
        Read = m.Read,
        From = m.From is null ? null : HubAddress.From(m.From),
        To = m.To.Select(HubAddress.From).ToArray(),
        Cc = m.Cc.Select(HubAddress.From).ToArray(),
        Bcc = m.Bcc.Select(HubAddress.From).ToArray(),
        ReplyTo = m.ReplyTo.Select(HubAddress.From).ToArray(),
        Subject = m.Subject,
        Created = m.ReceivedAt,
        Username = m.Envelope.AuthUser ?? "",
        Tags = m.Tags.ToArray(),
        Size = m.Size,
        Attachments = m.Attachments.Count,
        Snippet = m.Snippet,
        SessionId = m.SessionId,
        HasHtml = m.HasHtml,
        HasText = m.HasText,
        Warnings = m.Warnings.ToArray(),
        Listener = m.Envelope.Listener,
        Tls = HubTls.From(m.Envelope.Tls),
        MailFrom = m.Envelope.MailFrom,
        RcptTo = m.Envelope.RcptTo.ToArray(),
    };
}

/// <summary>The contract's SessionSummary.</summary>
public sealed record HubSessionSummary
{
    [JsonPropertyName("ID")] public required string Id { get; init; }
    [JsonPropertyName("StartedAt")] public DateTimeOffset StartedAt { get; init; }
    [JsonPropertyName("EndedAt")] public DateTimeOffset? EndedAt { get; init; }
    [JsonPropertyName("Listener")] public required string Listener { get; init; }
    [JsonPropertyName("ClientAddress")] public required string ClientAddress { get; init; }
    [JsonPropertyName("Helo")] public required string Helo { get; init; }
    [JsonPropertyName("Tls")] public HubTls? Tls { get; init; }
    [JsonPropertyName("AuthUser")] public string? AuthUser { get; init; }
    [JsonPropertyName("Outcome")] public required string Outcome { get; init; }
    [JsonPropertyName("Error")] public string? Error { get; init; }
    [JsonPropertyName("FailedAuthAttempts")] public int FailedAuthAttempts { get; init; }
    [JsonPropertyName("MessageIDs")] public required IReadOnlyList<string> MessageIds { get; init; }
    [JsonPropertyName("LineCount")] public int LineCount { get; init; }

    public static HubSessionSummary Create(SessionSummary s) => new()
    {
        Id = s.Id,
        StartedAt = s.StartedAt,
        EndedAt = s.EndedAt,
        Listener = s.Listener,
        ClientAddress = s.ClientAddress,
        Helo = s.Helo,
        Tls = HubTls.From(s.Tls),
        AuthUser = s.AuthUser,
        Outcome = OutcomeName(s.Outcome),
        Error = s.Error,
        FailedAuthAttempts = s.FailedAuthAttempts,
        MessageIds = s.MessageIds,
        LineCount = s.LineCount,
    };

    /// <summary>The contract's kebab-case outcome names.</summary>
    public static string OutcomeName(SessionOutcome outcome) => outcome switch
    {
        SessionOutcome.Open => "open",
        SessionOutcome.Quit => "quit",
        SessionOutcome.ClientDisconnected => "client-disconnected",
        SessionOutcome.Timeout => "timeout",
        SessionOutcome.ServerError => "server-error",
        SessionOutcome.ServerShutdown => "server-shutdown",
        SessionOutcome.TooManyErrors => "too-many-errors",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}

/// <summary>{id, read, tags}: camelCase in the contract.</summary>
public sealed record HubMessageUpdate(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("read")] bool Read,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags);

/// <summary>{total, unread}: camelCase in the contract.</summary>
public sealed record HubStats(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("unread")] int Unread);
