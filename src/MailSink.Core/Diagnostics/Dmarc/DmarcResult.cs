namespace MailSink.Diagnostics.Dmarc;

/// <summary>What DMARC (RFC 7489) would decide for the From domain.</summary>
internal sealed class DmarcResult
{
    /// <summary>pass, fail, none (no record), permerror (unusable record), temperror, or not-evaluated (DNS off).</summary>
    public string Result { get; set; } = "";

    public string FromDomain { get; set; } = "";
    public string OrganizationalDomain { get; set; } = "";

    /// <summary>Where the record was found: _dmarc.From domain, or _dmarc.organizational domain (section 6.6.3).</summary>
    public string RecordDomain { get; set; } = "";
    public string Record { get; set; } = "";

    /// <summary>p=, sp= and the one that applies to this From domain.</summary>
    public string Policy { get; set; } = "";
    public string SubdomainPolicy { get; set; } = "";
    public string AppliedPolicy { get; set; } = "";

    /// <summary>"r" (relaxed, the default) or "s" (strict).</summary>
    public string Adkim { get; set; } = "r";
    public string Aspf { get; set; } = "r";

    public bool DkimAligned { get; set; }
    public bool SpfAligned { get; set; }

    /// <summary>The d= of each passing DKIM signature, and the SPF domain with its result.</summary>
    public List<string> DkimDomains { get; set; } = [];
    public string SpfDomain { get; set; } = "";
    public string SpfResult { get; set; } = "";

    /// <summary>"DMARC would pass/fail for shop.example (p=reject): ...".</summary>
    public string Verdict { get; set; } = "";

    /// <summary>What to change so it passes; empty on pass.</summary>
    public string Fix { get; set; } = "";
}
