using MailSink.Diagnostics.Dkim;
using MailSink.Diagnostics.Dmarc;
using MailSink.Diagnostics.Spf;

namespace MailSink.Diagnostics;

/// <summary>
/// Everything the deliverability checks found about one message, computed once at ingest and stored with its
/// summary, so <c>/checks</c> and the list never parse the message again.
/// </summary>
internal sealed class MessageChecks
{
    /// <summary>The RFC 8601 Authentication-Results header MailSink would have added as the receiver.</summary>
    public string AuthenticationResults { get; set; } = "";

    public List<DkimResult> Dkim { get; set; } = [];

    /// <summary>Null when there was no domain to evaluate.</summary>
    public SpfReport? Spf { get; set; }

    public DmarcResult? Dmarc { get; set; }

    /// <summary>Worst first.</summary>
    public List<Finding> Findings { get; set; } = [];

    public FindingCounts Counts { get; set; } = new();
}
