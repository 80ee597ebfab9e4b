using System.Text.Json.Serialization;

namespace MailSink.Client;

/// <summary>A mailbox: display name and address, as in <c>"Ann Example" &lt;ann@example.com&gt;</c>.</summary>
public sealed record Address
{
    /// <summary>The display name, or empty.</summary>
    [JsonPropertyName("Name")]
    public string Name { get; init; } = "";

    /// <summary>The email address.</summary>
    [JsonPropertyName("Address")]
    public string Email { get; init; } = "";

    /// <inheritdoc/>
    public override string ToString() => Name.Length > 0 ? $"\"{Name}\" <{Email}>" : Email;
}

/// <summary>The TLS protection of the SMTP connection a message arrived on.</summary>
public sealed record TlsInfo
{
    /// <summary>The protocol, e.g. <c>Tls13</c>.</summary>
    public string Protocol { get; init; } = "";

    /// <summary>The negotiated cipher suite, e.g. <c>TLS_AES_256_GCM_SHA384</c>.</summary>
    public string CipherSuite { get; init; } = "";
}

/// <summary>An attachment or an inline part of a message.</summary>
public sealed record Attachment
{
    /// <summary>The MIME part ID, for <see cref="MailSinkClient.GetPartAsync"/>.</summary>
    [JsonPropertyName("PartID")]
    public string PartId { get; init; } = "";

    /// <summary>The file name, made safe by the server.</summary>
    public string FileName { get; init; } = "";

    /// <summary>The content type, lower case, e.g. <c>application/pdf</c>.</summary>
    public string ContentType { get; init; } = "";

    /// <summary>The Content-ID an HTML body refers to with <c>cid:</c>, or empty.</summary>
    [JsonPropertyName("ContentID")]
    public string ContentId { get; init; } = "";

    /// <summary>Decoded size in bytes.</summary>
    public long Size { get; init; }

    /// <summary>True for an inline part (Content-Disposition: inline).</summary>
    public bool Inline { get; init; }

    /// <summary>Digests of the decoded content, for checking a file arrived intact; only on a whole message's attachments, else null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AttachmentChecksums? Checksums { get; init; }
}

/// <summary>Lower-case hex digests of an attachment's decoded content (Mailpit's "Checksums").</summary>
public sealed record AttachmentChecksums
{
    /// <summary>MD5 of the decoded content.</summary>
    public string MD5 { get; init; } = "";

    /// <summary>SHA-1 of the decoded content.</summary>
    public string SHA1 { get; init; } = "";

    /// <summary>SHA-256 of the decoded content.</summary>
    public string SHA256 { get; init; } = "";
}
