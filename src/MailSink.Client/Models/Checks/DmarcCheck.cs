namespace MailSink.Client;

/// <summary>What DMARC would decide for the From domain.</summary>
public sealed record DmarcCheck
{
    /// <summary>"pass", "fail", "none", "permerror", "temperror" or "not-evaluated".</summary>
    public string Result { get; init; } = "";

    /// <summary>The From header's domain.</summary>
    public string FromDomain { get; init; } = "";

    /// <summary>The policy that applies (p=, or sp= for a subdomain).</summary>
    public string AppliedPolicy { get; init; } = "";

    /// <summary>Whether a passing DKIM signature is aligned with From.</summary>
    public bool DkimAligned { get; init; }

    /// <summary>Whether a passing SPF domain is aligned with From.</summary>
    public bool SpfAligned { get; init; }

    /// <summary>"DMARC would pass/fail for shop.example (p=reject): ...".</summary>
    public string Verdict { get; init; } = "";

    /// <summary>What to change so it passes; empty on pass.</summary>
    public string Fix { get; init; } = "";
}
