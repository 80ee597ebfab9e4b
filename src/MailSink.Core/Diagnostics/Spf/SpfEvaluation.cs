namespace MailSink.Diagnostics.Spf;

/// <summary>The SPF verdict for one client address (RFC 7208 section 2.6).</summary>
internal sealed class SpfEvaluation
{
    public string Ip { get; set; } = "";

    /// <summary>"client" (the connecting address) or "Diagnostics:SenderIp" (the configured production address).</summary>
    public string IpSource { get; set; } = "";

    /// <summary>pass, fail, softfail, neutral, none, permerror, temperror, or not-evaluated (DNS off, no overrides file).</summary>
    public string Result { get; set; } = "";

    /// <summary>The directive that decided, as written (e.g. "-all", "ip4:192.0.2.0/24"), or "default" when none matched.</summary>
    public string Mechanism { get; set; } = "";

    /// <summary>The domain whose record held the deciding directive.</summary>
    public string DecidedBy { get; set; } = "";

    /// <summary>Every record followed, in order: the checked domain, then each include and redirect.</summary>
    public List<string> Includes { get; set; } = [];

    /// <summary>DNS-querying terms evaluated (include, a, mx, ptr, exists, redirect); the limit is 10 (RFC 7208 section 4.6.4).</summary>
    public int DnsLookups { get; set; }

    /// <summary>Lookups that returned no records; more than 2 is a permerror (RFC 7208 section 4.6.4).</summary>
    public int VoidLookups { get; set; }

    /// <summary>Why, for errors (e.g. "more than 10 DNS lookups").</summary>
    public string Reason { get; set; } = "";
}
