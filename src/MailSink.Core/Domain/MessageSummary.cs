namespace MailSink.Domain;

/// <summary>
/// Everything the list, search and API need about a message, computed once at ingest
/// (MimeKit is never run again to list). The raw bytes are stored apart.
/// </summary>
internal sealed class MessageSummary
{
    public string Id { get; set; } = "";
    public string SessionId { get; set; } = "";

    /// <summary>First and last transcript line (inclusive, 0-based) of this message's transaction.</summary>
    public int TranscriptFirstLine { get; set; }
    public int TranscriptLastLine { get; set; }

    /// <summary>When MailSink accepted it (the 250).</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    public EmailAddress? From { get; set; }
    public List<EmailAddress> To { get; set; } = [];
    public List<EmailAddress> Cc { get; set; } = [];

    /// <summary>Envelope recipients that appear in no To/Cc header, plus any Bcc header.</summary>
    public List<EmailAddress> Bcc { get; set; } = [];
    public List<EmailAddress> ReplyTo { get; set; } = [];
    public string Subject { get; set; } = "";

    /// <summary>The Date header, when present and parseable.</summary>
    public DateTimeOffset? Date { get; set; }
    public string? MessageId { get; set; }

    /// <summary>Stored size in bytes (including the Received header MailSink prepended).</summary>
    public long Size { get; set; }
    public List<AttachmentInfo> Attachments { get; set; } = [];

    /// <summary>Inline parts referenced by Content-ID (cid: images) that are not attachments.</summary>
    public List<AttachmentInfo> Inlines { get; set; } = [];
    public bool HasHtml { get; set; }
    public bool HasText { get; set; }
    public string Snippet { get; set; } = "";
    public List<ReceivedHop> ReceivedChain { get; set; } = [];

    /// <summary>Parse and protocol warnings: malformed MIME, bare LF/CR in DATA, empty message, ...</summary>
    public List<string> Warnings { get; set; } = [];
    public Envelope Envelope { get; set; } = new();

    /// <summary>Deliverability checks (DKIM, SPF, DMARC, headers), computed at ingest; null when they were off.</summary>
    public Diagnostics.MessageChecks? Checks { get; set; }
    public bool Read { get; set; }
    public List<string> Tags { get; set; } = [];

    /// <summary>Lower-cased decoded text (subject, addresses, body) that free-text search matches; capped in size.</summary>
    public string SearchText { get; set; } = "";
}
