namespace MailSink.Diagnostics.Dns;

/// <summary>
/// The answer to one question. TXT values are the record's strings joined (RFC 7208 section 3.3); MX values are
/// "preference exchange"; A/AAAA/PTR/CNAME values are the address or name as text.
/// </summary>
internal sealed record DnsAnswer(DnsStatus Status, IReadOnlyList<string> Values)
{
    public static readonly DnsAnswer NotFound = new(DnsStatus.NotFound, []);
    public static readonly DnsAnswer NotEvaluated = new(DnsStatus.NotEvaluated, []);
    public static readonly DnsAnswer Failed = new(DnsStatus.Failed, []);

    public static DnsAnswer Of(IReadOnlyList<string> values) => values.Count == 0 ? NotFound : new(DnsStatus.Found, values);
}
