namespace MailSink.Client;

/// <summary>One entry of GET /api/v1/codes: an SMTP reply code or an enhanced status code with its meaning and usual fix.</summary>
/// <remarks>Not named SmtpStatusCode so that it does not clash with MailKit's enum in test code that uses both.</remarks>
public sealed record StatusCodeInfo
{
    /// <summary>A reply code such as "550", or an enhanced status code keyed "X.1.1" (the class X comes from the reply).</summary>
    public string Code { get; init; } = "";

    /// <summary>"reply" (RFC 5321 reply code) or "enhanced" (RFC 3463 enhanced status code).</summary>
    public string Kind { get; init; } = "";

    /// <summary>What the code means.</summary>
    public string Meaning { get; init; } = "";

    /// <summary>What usually fixes it; empty for success and intermediate replies.</summary>
    public string Fix { get; init; } = "";

    /// <summary>The specification that defines it, e.g. "RFC 5321 section 4.2.3".</summary>
    public string Rfc { get; init; } = "";
}
