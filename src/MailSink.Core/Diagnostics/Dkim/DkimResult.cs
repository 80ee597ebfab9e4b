namespace MailSink.Diagnostics.Dkim;

/// <summary>The verdict on one DKIM-Signature header (RFC 6376 section 6; result words of RFC 8601 section 2.7.1).</summary>
internal sealed class DkimResult
{
    /// <summary>pass, fail, permerror, temperror, or not-evaluated (no DNS and no overrides file: never a pass).</summary>
    public string Result { get; set; } = "";

    /// <summary>The finding code that decided a non-pass result (e.g. dkim.body-hash-mismatch); empty on pass.</summary>
    public string Reason { get; set; } = "";

    public string Domain { get; set; } = "";
    public string Selector { get; set; } = "";
    public string Algorithm { get; set; } = "";
    public string Identity { get; set; } = "";
    public string Canonicalization { get; set; } = "";
    public List<string> SignedHeaders { get; set; } = [];

    /// <summary>The l= tag: only this many body octets are signed.</summary>
    public long? BodyLength { get; set; }

    public DateTimeOffset? SignedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Whether the bh= body hash matched (checked offline, without the key); null when the tags were unusable.</summary>
    public bool? BodyHashMatches { get; set; }

    /// <summary>RSA modulus size of the published key, when one was found.</summary>
    public int? KeyBits { get; set; }

    /// <summary>Where the key was looked up: selector._domainkey.domain.</summary>
    public string KeyName => Selector.Length == 0 || Domain.Length == 0 ? "" : $"{Selector}._domainkey.{Domain}";
}
