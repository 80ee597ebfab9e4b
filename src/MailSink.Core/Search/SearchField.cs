namespace MailSink.Search;

/// <summary>What a search term looks at.</summary>
internal enum SearchField
{
    /// <summary>A plain word or "quoted phrase": a substring of <c>MessageSummary.SearchText</c>.</summary>
    Text,

    /// <summary><c>from:</c> the From name or address, or the envelope MAIL FROM.</summary>
    From,

    /// <summary><c>to:</c> To, Cc, Bcc names and addresses, or an envelope RCPT TO.</summary>
    To,

    /// <summary><c>subject:</c> a substring of the decoded subject.</summary>
    Subject,

    /// <summary><c>is:read</c>.</summary>
    IsRead,

    /// <summary><c>is:unread</c>.</summary>
    IsUnread,

    /// <summary><c>has:attachment</c> or <c>has:attachments</c>.</summary>
    HasAttachment,

    /// <summary><c>before:</c> received strictly before the instant.</summary>
    Before,

    /// <summary><c>after:</c> received strictly after the instant.</summary>
    After,

    /// <summary><c>tag:</c> carries this tag (case-insensitive, whole tag).</summary>
    Tag,
}
