using System.Text.Json.Serialization;

namespace MailSink.Client;

/// <summary>A message as lists, searches, waits and the live stream return it (Mailpit's MessageSummary plus MailSink's extras).</summary>
public sealed record MessageSummary
{
    /// <summary>MailSink's ID: 16 characters that sort by arrival time.</summary>
    [JsonPropertyName("ID")]
    public string Id { get; init; } = "";

    /// <summary>The Message-ID header, without angle brackets, or empty.</summary>
    [JsonPropertyName("MessageID")]
    public string MessageId { get; init; } = "";

    /// <summary>Whether the message has been marked read.</summary>
    public bool Read { get; init; }

    /// <summary>The From header's first mailbox.</summary>
    public Address? From { get; init; }

    /// <summary>The To header.</summary>
    public IReadOnlyList<Address> To { get; init; } = [];

    /// <summary>The Cc header.</summary>
    public IReadOnlyList<Address> Cc { get; init; } = [];

    /// <summary>Envelope recipients not named in To or Cc, plus any Bcc header.</summary>
    public IReadOnlyList<Address> Bcc { get; init; } = [];

    /// <summary>The Reply-To header.</summary>
    public IReadOnlyList<Address> ReplyTo { get; init; } = [];

    /// <summary>The decoded subject.</summary>
    public string Subject { get; init; } = "";

    /// <summary>When MailSink received the message.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>The SMTP AUTH user, or empty.</summary>
    public string Username { get; init; } = "";

    /// <summary>Tags set on the message.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Stored size in bytes.</summary>
    public long Size { get; init; }

    /// <summary>How many attachments the message has.</summary>
    public int Attachments { get; init; }

    /// <summary>The start of the text body.</summary>
    public string Snippet { get; init; } = "";

    /// <summary>The SMTP session that delivered it (see <see cref="MailSinkClient.GetSessionAsync"/>).</summary>
    [JsonPropertyName("SessionID")]
    public string SessionId { get; init; } = "";

    /// <summary>True when the message has an HTML body.</summary>
    public bool HasHtml { get; init; }

    /// <summary>True when the message has a text body.</summary>
    public bool HasText { get; init; }

    /// <summary>Parse and protocol warnings (malformed MIME, bare LF in DATA, ...).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The listener it arrived on: smtp, submission or smtps.</summary>
    public string Listener { get; init; } = "";

    /// <summary>The connection's TLS, or null when it was plain text.</summary>
    public TlsInfo? Tls { get; init; }

    /// <summary>The envelope sender (MAIL FROM).</summary>
    public string MailFrom { get; init; } = "";

    /// <summary>The envelope recipients (RCPT TO).</summary>
    public IReadOnlyList<string> RcptTo { get; init; } = [];

    /// <summary>Findings of the deliverability checks per severity; null when the checks were off.</summary>
    public CheckCounts? Counts { get; init; }
}

/// <summary>A page of messages, newest first (Mailpit's list shape).</summary>
public sealed record MessagesPage
{
    /// <summary>Messages in the mailbox.</summary>
    [JsonPropertyName("total")]
    public int Total { get; init; }

    /// <summary>Unread messages in the mailbox.</summary>
    [JsonPropertyName("unread")]
    public int Unread { get; init; }

    /// <summary>Messages on this page.</summary>
    [JsonPropertyName("count")]
    public int Count { get; init; }

    /// <summary>Messages that matched (all pages).</summary>
    [JsonPropertyName("messages_count")]
    public int MessagesCount { get; init; }

    /// <summary>Unread messages that matched.</summary>
    [JsonPropertyName("messages_unread")]
    public int MessagesUnread { get; init; }

    /// <summary>How many matches were skipped before this page.</summary>
    [JsonPropertyName("start")]
    public int Start { get; init; }

    /// <summary>Tags used by the messages on this page.</summary>
    [JsonPropertyName("tags")]
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The messages, newest first.</summary>
    [JsonPropertyName("messages")]
    public IReadOnlyList<MessageSummary> Messages { get; init; } = [];
}
