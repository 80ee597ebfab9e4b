using System.Text.Json.Serialization;

namespace MailSink.Client;

/// <summary>A whole message: headers decoded, both bodies, attachments, the SMTP envelope and the Received chain.</summary>
public sealed partial record Message
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

    /// <summary>The Return-Path header, else the envelope sender.</summary>
    public string ReturnPath { get; init; } = "";

    /// <summary>The decoded subject.</summary>
    public string Subject { get; init; } = "";

    /// <summary>The Date header, or when MailSink received it when there is none.</summary>
    public DateTimeOffset Date { get; init; }

    /// <summary>When MailSink received the message.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>Tags set on the message.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The SMTP AUTH user, or empty.</summary>
    public string Username { get; init; } = "";

    /// <summary>The decoded text body, or empty.</summary>
    public string Text { get; init; } = "";

    /// <summary>The decoded HTML body, or empty.</summary>
    [JsonPropertyName("HTML")]
    public string Html { get; init; } = "";

    /// <summary>Stored size in bytes.</summary>
    public long Size { get; init; }

    /// <summary>Inline parts referenced from the HTML with <c>cid:</c>.</summary>
    public IReadOnlyList<Attachment> Inline { get; init; } = [];

    /// <summary>The attachments; fetch their bytes with <see cref="MailSinkClient.GetAttachmentAsync"/>.</summary>
    public IReadOnlyList<Attachment> Attachments { get; init; } = [];

    /// <summary>The SMTP session that delivered it.</summary>
    [JsonPropertyName("SessionID")]
    public string SessionId { get; init; } = "";

    /// <summary>The SMTP envelope: MAIL FROM, RCPT TO, HELO, client address, TLS, AUTH user.</summary>
    public Envelope Envelope { get; init; } = new();

    /// <summary>The Received headers parsed, newest (MailSink's own) first.</summary>
    public IReadOnlyList<ReceivedHop> Received { get; init; } = [];

    /// <summary>Parse and protocol warnings.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The start of the text body.</summary>
    public string Snippet { get; init; } = "";

    /// <summary>True when the message has an HTML body.</summary>
    public bool HasHtml { get; init; }

    /// <summary>True when the message has a text body.</summary>
    public bool HasText { get; init; }

    /// <summary>The listener it arrived on: smtp, submission or smtps (also in <see cref="Envelope"/>).</summary>
    public string Listener { get; init; } = "";

    /// <summary>The connection's TLS, or null when it was plain text (also in <see cref="Envelope"/>).</summary>
    public TlsInfo? Tls { get; init; }

    /// <summary>The envelope sender (MAIL FROM; also in <see cref="Envelope"/>).</summary>
    public string MailFrom { get; init; } = "";

    /// <summary>The envelope recipients (RCPT TO; also in <see cref="Envelope"/>).</summary>
    public IReadOnlyList<string> RcptTo { get; init; } = [];

    /// <summary>Findings of the deliverability checks per severity (details: <see cref="MailSinkClient.GetChecksAsync"/>); null when the checks were off.</summary>
    public CheckCounts? Counts { get; init; }

    /// <summary>The List-Unsubscribe header as Mailpit reports it: its links and what is wrong with them.</summary>
    public ListUnsubscribe ListUnsubscribe { get; init; } = new();
}

/// <summary>The List-Unsubscribe and List-Unsubscribe-Post headers (RFC 2369, RFC 8058), checked as Mailpit checks them.</summary>
public sealed record ListUnsubscribe
{
    /// <summary>The List-Unsubscribe header as received, or empty.</summary>
    public string Header { get; init; } = "";

    /// <summary>The URIs it names (mailto: and http(s):).</summary>
    public IReadOnlyList<string> Links { get; init; } = [];

    /// <summary>What is wrong with the header, or empty.</summary>
    public string Errors { get; init; } = "";

    /// <summary>The List-Unsubscribe-Post header, or empty.</summary>
    public string HeaderPost { get; init; } = "";
}

/// <summary>The SMTP envelope of a message, as the client sent it.</summary>
public sealed record Envelope
{
    /// <summary>MAIL FROM address (empty for the null sender).</summary>
    public string MailFrom { get; init; } = "";

    /// <summary>MAIL FROM parameters such as SIZE or BODY.</summary>
    public IReadOnlyDictionary<string, string> MailParameters { get; init; } = new Dictionary<string, string>();

    /// <summary>RCPT TO addresses.</summary>
    public IReadOnlyList<string> RcptTo { get; init; } = [];

    /// <summary>The EHLO or HELO name.</summary>
    public string Helo { get; init; } = "";

    /// <summary>The client's IP address.</summary>
    public string ClientAddress { get; init; } = "";

    /// <summary>The client's port.</summary>
    public int ClientPort { get; init; }

    /// <summary>The address MailSink accepted on.</summary>
    public string ServerAddress { get; init; } = "";

    /// <summary>The port MailSink accepted on.</summary>
    public int ServerPort { get; init; }

    /// <summary>smtp, submission or smtps.</summary>
    public string Listener { get; init; } = "";

    /// <summary>TLS of the connection, or null.</summary>
    public TlsInfo? Tls { get; init; }

    /// <summary>The SMTP AUTH user, or null.</summary>
    public string? AuthUser { get; init; }
}

/// <summary>One Received header, parsed.</summary>
public sealed record ReceivedHop
{
    /// <summary>0 is the top header (the newest hop: MailSink's own).</summary>
    public int Index { get; init; }

    /// <summary>The header as written.</summary>
    public string Raw { get; init; } = "";

    /// <summary>The from clause.</summary>
    public string? From { get; init; }

    /// <summary>The by clause.</summary>
    public string? By { get; init; }

    /// <summary>The via clause.</summary>
    public string? Via { get; init; }

    /// <summary>The with clause (ESMTP, ESMTPS, ESMTPSA, ...).</summary>
    public string? With { get; init; }

    /// <summary>The id clause.</summary>
    public string? Id { get; init; }

    /// <summary>The for clause.</summary>
    public string? For { get; init; }

    /// <summary>TLS noted in the header, if any.</summary>
    public string? Tls { get; init; }

    /// <summary>The date after the semicolon.</summary>
    public DateTimeOffset? Date { get; init; }

    /// <summary>Seconds since the previous hop, when both dates are known.</summary>
    public double? DelaySeconds { get; init; }

    /// <summary>What looked wrong with the header, if anything.</summary>
    public string? Note { get; init; }
}

/// <summary>One header as sent, in order (repeats kept).</summary>
public sealed record MessageHeader(string Name, string Value);
