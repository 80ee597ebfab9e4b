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

    /// <summary><c>cc:</c> a Cc name or address.</summary>
    Cc,

    /// <summary><c>bcc:</c> a Bcc name or address, which includes envelope recipients no header names.</summary>
    Bcc,

    /// <summary><c>reply-to:</c> a Reply-To name or address.</summary>
    ReplyTo,

    /// <summary><c>addressed:</c> any of From, To, Cc, Bcc, Reply-To, or the envelope.</summary>
    Addressed,

    /// <summary><c>subject:</c> a substring of the decoded subject.</summary>
    Subject,

    /// <summary><c>message-id:</c> a substring of the Message-ID (without its angle brackets).</summary>
    MessageId,

    /// <summary><c>is:read</c>.</summary>
    IsRead,

    /// <summary><c>is:unread</c>.</summary>
    IsUnread,

    /// <summary><c>is:tagged</c>: carries at least one tag.</summary>
    IsTagged,

    /// <summary><c>has:attachment</c> or <c>has:attachments</c>.</summary>
    HasAttachment,

    /// <summary><c>has:inline</c> or <c>has:inlines</c>: an inline part referenced by Content-ID.</summary>
    HasInline,

    /// <summary><c>before:</c> received at or before the instant (Mailpit's <c>Created &lt;= t</c>).</summary>
    Before,

    /// <summary><c>after:</c> received at or after the instant (Mailpit's <c>Created &gt;= t</c>).</summary>
    After,

    /// <summary><c>larger:</c> stored size strictly above the bytes.</summary>
    Larger,

    /// <summary><c>smaller:</c> stored size strictly below the bytes.</summary>
    Smaller,

    /// <summary><c>tag:</c> carries this tag (case-insensitive, whole tag).</summary>
    Tag,
}
