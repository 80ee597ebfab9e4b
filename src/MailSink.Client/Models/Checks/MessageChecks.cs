namespace MailSink.Client;

/// <summary>
/// What a receiver such as Gmail would say about a message (GET /api/v1/message/{id}/checks): DKIM, SPF and DMARC
/// results, the Authentication-Results header MailSink would have added, and every finding with its fix.
/// </summary>
public sealed record MessageChecks
{
    /// <summary>The RFC 8601 Authentication-Results header MailSink would have added as the receiver.</summary>
    public string AuthenticationResults { get; init; } = "";

    /// <summary>One result per DKIM-Signature header.</summary>
    public IReadOnlyList<DkimCheck> Dkim { get; init; } = [];

    /// <summary>SPF for the MAIL FROM domain (or HELO), or null when there was no domain.</summary>
    public SpfCheck? Spf { get; init; }

    /// <summary>DMARC for the From domain, or null when there was no single From address.</summary>
    public DmarcCheck? Dmarc { get; init; }

    /// <summary>Every finding, worst first.</summary>
    public IReadOnlyList<CheckFinding> Findings { get; init; } = [];

    /// <summary>How many findings per severity.</summary>
    public CheckCounts Counts { get; init; } = new();
}
