namespace MailSink.Client;

/// <summary>What DMARC would decide for the From domain.</summary>
public sealed record DmarcCheck
{
    /// <summary>"pass", "fail", "none", "permerror", "temperror" or "not-evaluated".</summary>
    public string Result { get; init; } = "";

    /// <summary>The From header's domain.</summary>
    public string FromDomain { get; init; } = "";

    /// <summary>The organizational domain of the From domain (where the record is looked up when the From domain has none).</summary>
    public string OrganizationalDomain { get; init; } = "";

    /// <summary>The domain whose _dmarc record applied: the From domain, or the organizational domain when the From domain has none.</summary>
    public string RecordDomain { get; init; } = "";

    /// <summary>The DMARC record as published, empty when none was found.</summary>
    public string Record { get; init; } = "";

    /// <summary>The p= tag.</summary>
    public string Policy { get; init; } = "";

    /// <summary>The sp= tag (policy for subdomains).</summary>
    public string SubdomainPolicy { get; init; } = "";

    /// <summary>The policy that applies (p=, or sp= for a subdomain).</summary>
    public string AppliedPolicy { get; init; } = "";

    /// <summary>DKIM alignment mode (adkim=): "r" relaxed, the default, or "s" strict.</summary>
    public string Adkim { get; init; } = "r";

    /// <summary>SPF alignment mode (aspf=): "r" relaxed, the default, or "s" strict.</summary>
    public string Aspf { get; init; } = "r";

    /// <summary>Whether a passing DKIM signature is aligned with From.</summary>
    public bool DkimAligned { get; init; }

    /// <summary>Whether a passing SPF domain is aligned with From.</summary>
    public bool SpfAligned { get; init; }

    /// <summary>The d= domain of each passing DKIM signature.</summary>
    public IReadOnlyList<string> DkimDomains { get; init; } = [];

    /// <summary>The domain SPF evaluated.</summary>
    public string SpfDomain { get; init; } = "";

    /// <summary>The SPF result DMARC used for alignment.</summary>
    public string SpfResult { get; init; } = "";

    /// <summary>"DMARC would pass/fail for shop.example (p=reject): ...".</summary>
    public string Verdict { get; init; } = "";

    /// <summary>What to change so it passes; empty on pass.</summary>
    public string Fix { get; init; } = "";
}
