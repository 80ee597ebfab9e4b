namespace MailSink.Diagnostics;

/// <summary>
/// One result of a deliverability check: a stable <see cref="Code"/> (e.g. <c>dkim.body-hash-mismatch</c>) that
/// scripts may match on, and one <see cref="Message"/> a developer can act on.
/// </summary>
internal sealed class Finding
{
    /// <summary>Stable identifier, <c>area.what</c>; never reworded once published.</summary>
    public string Code { get; set; } = "";

    public FindingSeverity Severity { get; set; }

    public FindingArea Area { get; set; }

    /// <summary>One sentence: what is wrong and what to do about it.</summary>
    public string Message { get; set; } = "";

    /// <summary>The specification behind the check, e.g. "RFC 6376 section 3.7".</summary>
    public string Rfc { get; set; } = "";

    public static Finding Of(string code, FindingSeverity severity, FindingArea area, string rfc, string message) =>
        new() { Code = code, Severity = severity, Area = area, Rfc = rfc, Message = message };
}
