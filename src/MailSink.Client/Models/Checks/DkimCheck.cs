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

    /// <summary>Whether the body hash matched (checked without the key).</summary>
    public bool? BodyHashMatches { get; init; }

    /// <summary>RSA key size, when a key was found.</summary>
    public int? KeyBits { get; init; }
}
