namespace MailSink.Diagnostics.Spf;

/// <summary>SPF for the message's MAIL FROM domain (or the HELO name for the null reverse-path).</summary>
internal sealed class SpfReport
{
    /// <summary>The domain evaluated.</summary>
    public string Domain { get; set; } = "";

    /// <summary>"mailfrom" or "helo" (RFC 7208 section 2.4, 2.3).</summary>
    public string Identity { get; set; } = "";

    /// <summary>The top-level SPF record, when one was found.</summary>
    public string Record { get; set; } = "";

    /// <summary>One per address evaluated: the client, then Diagnostics:SenderIp when set.</summary>
    public List<SpfEvaluation> Evaluations { get; set; } = [];

    /// <summary>The evaluation DMARC uses: Diagnostics:SenderIp when set (the real egress), else the client.</summary>
    public SpfEvaluation? Deciding => Evaluations.LastOrDefault();
}
