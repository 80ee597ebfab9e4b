namespace MailSink.Client;

/// <summary>The verdict on one DKIM-Signature.</summary>
public sealed record DkimCheck
{
    /// <summary>"pass", "fail", "permerror", "temperror" or "not-evaluated" (no DNS and no overrides file).</summary>
    public string Result { get; init; } = "";

    /// <summary>The finding code that decided a non-pass result, e.g. "dkim.body-hash-mismatch".</summary>
    public string Reason { get; init; } = "";

    /// <summary>The d= tag.</summary>
    public string Domain { get; init; } = "";

    /// <summary>The s= tag.</summary>
    public string Selector { get; init; } = "";

    /// <summary>The a= tag, e.g. "rsa-sha256".</summary>
    public string Algorithm { get; init; } = "";

    /// <summary>The i= tag (the signing identity), empty when absent.</summary>
    public string Identity { get; init; } = "";

    /// <summary>The c= tag, e.g. "relaxed/relaxed".</summary>
    public string Canonicalization { get; init; } = "";

    /// <summary>The h= tag: the header fields the signature covers, in order.</summary>
    public IReadOnlyList<string> SignedHeaders { get; init; } = [];

    /// <summary>The l= tag: only this many body octets are signed; null when absent.</summary>
    public long? BodyLength { get; init; }

    /// <summary>The t= tag (signature timestamp); null when absent.</summary>
    public DateTimeOffset? SignedAt { get; init; }

    /// <summary>The x= tag (signature expiry); null when absent.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Whether the body hash matched (checked without the key).</summary>
    public bool? BodyHashMatches { get; init; }

    /// <summary>RSA key size, when a key was found.</summary>
    public int? KeyBits { get; init; }

    /// <summary>Where the key was looked up: selector._domainkey.domain (empty without both tags).</summary>
    public string KeyName { get; init; } = "";
}
