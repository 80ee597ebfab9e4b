namespace MailSink.Api.Compat;

// Mailpit's POST /api/v1/send body (swagger "SendMessageParams"); property names as Mailpit spells them.

/// <summary>A named address: <c>{"Email": "...", "Name": "..."}</c>.</summary>
internal sealed record SendAddress(string? Email, string? Name);

/// <summary>An attachment: base64 content (a data: URL prefix is tolerated, as Mailpit does), inline when ContentID is set.</summary>
internal sealed record SendAttachment(string? Content, string? Filename, string? ContentType, string? ContentID);

/// <summary>The whole send request.</summary>
internal sealed record MailpitSendRequest(
    SendAddress? From,
    IReadOnlyList<SendAddress>? To,
    IReadOnlyList<SendAddress>? Cc,
    IReadOnlyList<string>? Bcc,
    IReadOnlyList<SendAddress>? ReplyTo,
    string? Subject,
    string? Text,
    string? HTML,
    IReadOnlyList<SendAttachment>? Attachments,
    IReadOnlyDictionary<string, string>? Headers,
    IReadOnlyList<string>? Tags);

/// <summary>Mailpit's answer: the stored message's ID.</summary>
internal sealed record SendMessageResponse(string ID);
