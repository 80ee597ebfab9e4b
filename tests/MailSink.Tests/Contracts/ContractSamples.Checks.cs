using MailSink.Contracts;
using MailSink.Diagnostics;
using MailSink.Diagnostics.Dkim;
using MailSink.Diagnostics.Dmarc;
using MailSink.Diagnostics.Spf;

namespace MailSink.Tests.Contracts;

/// <summary>
/// The /checks and /codes samples. They start from the Diagnostics types the checkers fill in and LiteDB stores (every
/// field set, nothing null), so the golden file also shows what the mapping to Contracts sends, and
/// <see cref="StoredChecks"/> lets ChecksContractTests compare that mapping with the stored type's own JSON.
/// </summary>
internal static partial class ContractSamples
{
    private static MessageChecksDto Checks => MessageChecksDto.From(StoredChecks);

    private static SmtpStatusCodeDto StatusCode => SmtpStatusCodeDto.From(StoredStatusCode);

    internal static SmtpStatusCode StoredStatusCode =>
        new("X.1.1", "enhanced", "Bad destination mailbox address (no such user)", "Remove the recipient from your list.", "RFC 3463 section 3.2");

    internal static MessageChecks StoredChecks
    {
        get
        {
            var finding = Finding.Of("dkim.body-hash-mismatch", FindingSeverity.Error, FindingArea.Dkim, "RFC 6376 section 3.7", "The body changed after signing; sign last.");
            return new MessageChecks
            {
                AuthenticationResults = "sink.test; dkim=fail header.d=example.com header.s=s1; spf=pass smtp.mailfrom=example.com; dmarc=pass header.from=example.com",
                Dkim = [Dkim],
                Spf = new SpfReport
                {
                    Domain = "example.com",
                    Identity = "mailfrom",
                    Record = "v=spf1 include:_spf.example.net -all",
                    Evaluations = [Evaluation("127.0.0.1", "client", "fail", "-all"), Evaluation("192.0.2.10", "Diagnostics:SenderIp", "pass", "ip4:192.0.2.0/24")],
                },
                Dmarc = Dmarc,
                Findings = [finding],
                Counts = new FindingCounts { Error = 1, Warning = 2, Info = 3, Pass = 4 },
            };
        }
    }

    private static DkimResult Dkim => new()
    {
        Result = "fail",
        Reason = "dkim.body-hash-mismatch",
        Domain = "example.com",
        Selector = "s1",
        Algorithm = "rsa-sha256",
        Identity = "@example.com",
        Canonicalization = "relaxed/relaxed",
        SignedHeaders = ["from", "to", "subject"],
        BodyLength = 120,
        SignedAt = new DateTimeOffset(2025, 6, 1, 11, 59, 0, TimeSpan.Zero),
        ExpiresAt = new DateTimeOffset(2025, 6, 8, 11, 59, 0, TimeSpan.Zero),
        BodyHashMatches = false,
        KeyBits = 2048,
    };

    private static SpfEvaluation Evaluation(string ip, string source, string result, string mechanism) => new()
    {
        Ip = ip,
        IpSource = source,
        Result = result,
        Mechanism = mechanism,
        DecidedBy = "_spf.example.net",
        Includes = ["example.com", "_spf.example.net"],
        DnsLookups = 2,
        VoidLookups = 1,
        Reason = "not permitted",
    };

    private static DmarcResult Dmarc => new()
    {
        Result = "pass",
        FromDomain = "news.example.com",
        OrganizationalDomain = "example.com",
        RecordDomain = "example.com",
        Record = "v=DMARC1; p=reject; sp=quarantine; adkim=s",
        Policy = "reject",
        SubdomainPolicy = "quarantine",
        AppliedPolicy = "quarantine",
        Adkim = "s",
        Aspf = "r",
        DkimAligned = false,
        SpfAligned = true,
        DkimDomains = ["example.com"],
        SpfDomain = "example.com",
        SpfResult = "pass",
        Verdict = "DMARC would pass for news.example.com (p=quarantine): SPF is aligned",
        Fix = "Sign with d=news.example.com to align DKIM too.",
    };
}
