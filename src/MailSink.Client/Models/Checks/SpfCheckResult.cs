namespace MailSink.Client;

/// <summary>The SPF verdict for one address.</summary>
public sealed record SpfCheckResult
{
    /// <summary>The address evaluated.</summary>
    public string Ip { get; init; } = "";

    /// <summary>"client" or "Diagnostics:SenderIp".</summary>
    public string IpSource { get; init; } = "";

    /// <summary>"pass", "fail", "softfail", "neutral", "none", "permerror", "temperror" or "not-evaluated".</summary>
    public string Result { get; init; } = "";

    /// <summary>The directive that decided, e.g. "ip4:192.0.2.0/24" or "-all".</summary>
    public string Mechanism { get; init; } = "";

    /// <summary>The domain whose record held the deciding directive.</summary>
    public string DecidedBy { get; init; } = "";

    /// <summary>Every record followed: the domain, then each include and redirect.</summary>
    public IReadOnlyList<string> Includes { get; init; } = [];

    /// <summary>DNS-querying terms evaluated; more than 10 is a permerror.</summary>
    public int DnsLookups { get; init; }

    /// <summary>Lookups that returned no records; more than 2 is a permerror.</summary>
    public int VoidLookups { get; init; }

    /// <summary>Why, for errors.</summary>
    public string Reason { get; init; } = "";
}
