namespace MailSink.Faults;

/// <summary>Failure rehearsal: rules from configuration and the magic addresses. Section "Faults".</summary>
internal sealed class FaultOptions
{
    public const string SectionName = "Faults";

    /// <summary>Whether a recipient like user-unknown@ at <see cref="MagicDomain"/> triggers that preset with no rule configured. Default true.</summary>
    public bool MagicAddresses { get; set; } = true;

    /// <summary>The domain of the magic addresses. Default fail.mailsink.test (.test is reserved, RFC 2606).</summary>
    public string MagicDomain { get; set; } = "fail.mailsink.test";

    /// <summary>How long greylisting defers a new sender/recipient/client triplet when a rule does not say. Default 1 minute.</summary>
    public TimeSpan GreylistDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest a timeout rule holds a reply while the client waits, then closes. Default 10 minutes (RFC 5321 section 4.5.3.2.6).</summary>
    public TimeSpan TimeoutHold { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Rules in force from start-up, in order (the API can add, replace and delete them).</summary>
    public List<FaultRuleSpec> Rules { get; set; } = [];
}
