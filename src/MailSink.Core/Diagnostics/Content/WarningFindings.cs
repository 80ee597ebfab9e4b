namespace MailSink.Diagnostics.Content;

/// <summary>
/// The projector's parse and protocol warnings (the <c>Warnings</c> list the API has always had) as findings, so every
/// warning is also a finding with a code. The texts stay as they were: clients match on them.
/// </summary>
internal static class WarningFindings
{
    public static Finding Of(string warning)
    {
        var (code, severity, area, rfc) = warning switch
        {
            _ when warning.StartsWith("There is no From header", StringComparison.Ordinal) => ("headers.from-missing", FindingSeverity.Error, FindingArea.Headers, "RFC 5322 section 3.6"),
            _ when warning.StartsWith("The From header", StringComparison.Ordinal) => ("headers.from-invalid", FindingSeverity.Error, FindingArea.Headers, "RFC 5322 section 3.6.2"),
            _ when warning.StartsWith("There is no Date header", StringComparison.Ordinal) => ("headers.date-missing", FindingSeverity.Error, FindingArea.Headers, "RFC 5322 section 3.6"),
            _ when warning.StartsWith("The Date header", StringComparison.Ordinal) => ("headers.date-invalid", FindingSeverity.Error, FindingArea.Headers, "RFC 5322 section 3.3"),
            _ when warning.StartsWith("There is no Message-ID", StringComparison.Ordinal) => ("headers.message-id-missing", FindingSeverity.Warning, FindingArea.Headers, "RFC 5322 section 3.6.4"),
            _ when warning.StartsWith("SMTP smuggling indicator", StringComparison.Ordinal) => ("smtp.smuggling-indicator", FindingSeverity.Warning, FindingArea.Smtp, "RFC 5321 section 4.1.1.4"),
            _ when warning.Contains("bare LF", StringComparison.Ordinal) => ("smtp.bare-lf", FindingSeverity.Warning, FindingArea.Smtp, "RFC 5321 section 2.3.8"),
            _ when warning.Contains("bare CR", StringComparison.Ordinal) => ("smtp.bare-cr", FindingSeverity.Warning, FindingArea.Smtp, "RFC 5321 section 2.3.8"),
            _ when warning.Contains("8-bit bytes", StringComparison.Ordinal) => ("headers.8bit-without-smtputf8", FindingSeverity.Error, FindingArea.Headers, "RFC 6532 section 3"),
            _ when warning.StartsWith("The message is empty", StringComparison.Ordinal) => ("content.empty", FindingSeverity.Error, FindingArea.Content, "RFC 5322 section 3.6"),
            _ when warning.StartsWith("The message has no header section", StringComparison.Ordinal) => ("headers.none", FindingSeverity.Error, FindingArea.Headers, "RFC 5322 section 3.6"),
            _ => ("mime.malformed", FindingSeverity.Warning, FindingArea.Mime, "RFC 2045 section 5, RFC 2046 section 5.1"),
        };
        return Finding.Of(code, severity, area, rfc, warning);
    }
}
