using System.Text.Json.Serialization;
using MailSink.Diagnostics;
using MailSink.Domain;

namespace MailSink.Contracts;

// Shapes follow Mailpit's API v1 (PascalCase message objects, snake_case list wrappers) so its
// clients work unchanged; MailSink's extra fields are additive.

/// <summary>A message in a list (Mailpit "MessageSummary").</summary>
internal sealed record MessageSummaryDto(
    string ID,
    string MessageID,
    bool Read,
    EmailAddress? From,
    IReadOnlyList<EmailAddress> To,
    IReadOnlyList<EmailAddress> Cc,
    IReadOnlyList<EmailAddress> Bcc,
    IReadOnlyList<EmailAddress> ReplyTo,
    string Subject,
    DateTimeOffset Created,
    string Username,
    IReadOnlyList<string> Tags,
    long Size,
    int Attachments,
    string Snippet,
    string SessionID,
    bool HasHtml,
    bool HasText,
    IReadOnlyList<string> Warnings,
    string Listener,
    TlsInfo? Tls,
    string MailFrom,
    IReadOnlyList<string> RcptTo,
    FindingCountsDto? Counts)
{
    public static MessageSummaryDto Of(MessageSummary m) => new(
        m.Id, m.MessageId ?? "", m.Read, m.From, m.To, m.Cc, m.Bcc, m.ReplyTo, m.Subject, m.ReceivedAt,
        m.Envelope.AuthUser ?? "", m.Tags, m.Size, m.Attachments.Count, m.Snippet, m.SessionId, m.HasHtml, m.HasText,
        m.Warnings, m.Envelope.Listener, m.Envelope.Tls, m.Envelope.MailFrom, m.Envelope.RcptTo, m.Checks is null ? null : FindingCountsDto.From(m.Checks.Counts));
}

/// <summary>An attachment or inline part (Mailpit "Attachment"); <see cref="Checksums"/> only in the whole message.</summary>
internal sealed record AttachmentDto(string PartID, string FileName, string ContentType, string ContentID, long Size, bool Inline)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AttachmentChecksumsDto? Checksums { get; init; }

    public static AttachmentDto From(AttachmentInfo a) => new(a.PartId, a.FileName, a.ContentType, a.ContentId ?? "", a.Size, a.Inline);
}

/// <summary>The whole message (Mailpit "Message") plus envelope, Received chain and warnings.</summary>
internal sealed record MessageDto(
    string ID,
    string MessageID,
    bool Read,
    EmailAddress? From,
    IReadOnlyList<EmailAddress> To,
    IReadOnlyList<EmailAddress> Cc,
    IReadOnlyList<EmailAddress> Bcc,
    IReadOnlyList<EmailAddress> ReplyTo,
    string ReturnPath,
    string Subject,
    DateTimeOffset Date,
    DateTimeOffset Created,
    IReadOnlyList<string> Tags,
    string Username,
    string Text,
    string HTML,
    long Size,
    IReadOnlyList<AttachmentDto> Inline,
    IReadOnlyList<AttachmentDto> Attachments,
    string SessionID,
    Envelope Envelope,
    IReadOnlyList<ReceivedHop> Received,
    IReadOnlyList<string> Warnings,
    string Snippet,
    bool HasHtml,
    bool HasText,
    string Listener,
    TlsInfo? Tls,
    string MailFrom,
    IReadOnlyList<string> RcptTo,
    FindingCountsDto? Counts,
    ListUnsubscribeDto ListUnsubscribe);

/// <summary>A page of messages (Mailpit "MessagesSummary").</summary>
internal sealed record MessagesPageDto(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("unread")] int Unread,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("messages_count")] int MessagesCount,
    [property: JsonPropertyName("messages_unread")] int MessagesUnread,
    [property: JsonPropertyName("start")] int Start,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags,
    [property: JsonPropertyName("messages")] IReadOnlyList<MessageSummaryDto> Messages);

/// <summary>Body of PUT /api/v1/messages (Mailpit "setReadStatus").</summary>
internal sealed record SetReadRequest(IReadOnlyList<string>? IDs, bool Read, string? Search);

/// <summary>Body of DELETE /api/v1/messages.</summary>
internal sealed record DeleteRequest(IReadOnlyList<string>? IDs);

/// <summary>One header as sent.</summary>
internal sealed record HeaderDto(string Name, string Value);

/// <summary>A message's transaction within its session's transcript.</summary>
internal sealed record MessageTranscriptDto(
    SessionSummaryDto Session,
    int TransactionFirstLine,
    int TransactionLastLine,
    IReadOnlyList<TranscriptLineDto> Lines);

/// <summary>Mailpit's attachment "Checksums": lower-case hex digests of the decoded content, for asserting a file arrived intact.</summary>
internal sealed record AttachmentChecksumsDto(string MD5, string SHA1, string SHA256);

/// <summary>Mailpit's "ListUnsubscribe": the List-Unsubscribe and List-Unsubscribe-Post headers and what is wrong with them.</summary>
internal sealed record ListUnsubscribeDto(string Header, IReadOnlyList<string> Links, string Errors, string HeaderPost);
