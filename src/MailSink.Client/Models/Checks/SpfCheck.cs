namespace MailSink.Client;

/// <summary>SPF for the MAIL FROM domain (or the HELO name for bounces).</summary>
public sealed record SpfCheck
{
    /// <summary>The domain evaluated.</summary>
    public string Domain { get; init; } = "";

    /// <summary>"mailfrom" or "helo".</summary>
    public string Identity { get; init; } = "";

    /// <summary>The domain's SPF record, when found.</summary>
    public string Record { get; init; } = "";

    /// <summary>One per address: the connecting client, then Diagnostics:SenderIp when configured.</summary>
    public IReadOnlyList<SpfCheckResult> Evaluations { get; init; } = [];

    /// <summary>The evaluation DMARC uses (the last of <see cref="Evaluations"/>: Diagnostics:SenderIp when set, else the client); null when there is none.</summary>
    public SpfCheckResult? Deciding { get; init; }
}
