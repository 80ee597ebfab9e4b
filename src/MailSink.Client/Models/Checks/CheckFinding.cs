namespace MailSink.Client;

/// <summary>One finding of the deliverability checks.</summary>
public sealed record CheckFinding
{
    /// <summary>A stable code such as "dkim.body-hash-mismatch" or "dmarc.fail"; match on this, not on the message.</summary>
    public string Code { get; init; } = "";

    /// <summary>"error", "warning", "info" or "pass".</summary>
    public string Severity { get; init; } = "";

    /// <summary>"dkim", "spf", "dmarc", "headers", "mime", "smtp" or "content".</summary>
    public string Area { get; init; } = "";

    /// <summary>One sentence: what is wrong and what to do about it.</summary>
    public string Message { get; init; } = "";

    /// <summary>The specification behind the check, e.g. "RFC 6376 section 3.7".</summary>
    public string Rfc { get; init; } = "";
}
