using System.Net;
using MailSink.Diagnostics.Dns;
using MailSink.Domain;

namespace MailSink.Diagnostics.Spf;

/// <summary>
/// SPF for the envelope (RFC 7208): the MAIL FROM domain, or the HELO name for the null reverse-path (section 2.4),
/// for the client address and for Diagnostics:SenderIp when set. In development the client is loopback, so with
/// SenderIp set the client's own result is only information.
/// </summary>
internal static class SpfChecker
{
    public static async Task<SpfReport?> CheckAsync(Envelope envelope, IPAddress? senderIp, IDnsResolver resolver, List<Finding> findings, CancellationToken cancellationToken)
    {
        var mailFrom = envelope.MailFrom.Trim().Trim('<', '>');
        var identity = mailFrom.Length > 0 ? "mailfrom" : "helo";
        var helo = envelope.Helo.Trim();
        var domain = mailFrom.Length > 0 ? mailFrom[(mailFrom.LastIndexOf('@') + 1)..] : helo;
        if (domain.Length == 0 || domain.StartsWith('['))
        {
            findings.Add(Finding.Of("spf.no-domain", FindingSeverity.Info, FindingArea.Spf, "RFC 7208 section 2.4",
                "SPF was not evaluated: the MAIL FROM is empty and the HELO name is not a domain."));
            return null;
        }

        // RFC 7208 section 4.3: a local-part-less MAIL FROM is treated as postmaster@domain.
        var sender = mailFrom.Contains('@') ? mailFrom : $"postmaster@{domain}";
        var report = new SpfReport { Domain = domain.ToLowerInvariant(), Identity = identity };
        var targets = new List<(IPAddress Ip, string Source)>();
        if (IPAddress.TryParse(envelope.ClientAddress, out var client))
        {
            targets.Add((client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client, "client"));
        }

        if (senderIp is not null)
        {
            targets.Add((senderIp, "Diagnostics:SenderIp"));
        }

        if (targets.Count == 0)
        {
            findings.Add(Finding.Of("spf.no-address", FindingSeverity.Info, FindingArea.Spf, "RFC 7208 section 4.1",
                $"SPF was not evaluated for {report.Domain}: there is no client address; give the production sending address with --sender-ip (Diagnostics:SenderIp)."));
        }

        foreach (var (ip, source) in targets)
        {
            var evaluator = new SpfEvaluator(resolver, new SpfContext(ip, sender, helo));
            var evaluation = await evaluator.EvaluateAsync(domain, cancellationToken).ConfigureAwait(false);
            evaluation.IpSource = source;
            report.Record = report.Record.Length > 0 ? report.Record : evaluator.TopRecord;
            report.Evaluations.Add(evaluation);
            var informational = senderIp is not null && source == "client";
            findings.Add(ToFinding(report, evaluation, informational));
            if (evaluation.Result is not "permerror" and not "not-evaluated" && evaluation.DnsLookups >= SpfEvaluator.MaxDnsLookups - 2 && !informational)
            {
                findings.Add(Finding.Of("spf.lookups-near-limit", FindingSeverity.Warning, FindingArea.Spf, "RFC 7208 section 4.6.4",
                    $"The SPF record of {report.Domain} needed {evaluation.DnsLookups} of the 10 DNS lookups allowed; one more include breaks all mail with a permerror. Flatten includes or replace them with ip4:/ip6: ranges."));
            }
        }

        return report;
    }

    private static Finding ToFinding(SpfReport report, SpfEvaluation e, bool informational)
    {
        var who = $"{report.Domain} ({report.Identity}) with IP {e.Ip}{(e.IpSource == "client" ? "" : $" ({e.IpSource})")}";
        var decided = e.Mechanism.Length > 0 && e.Mechanism != "default" ? $" by '{e.Mechanism}' in {e.DecidedBy}" : "";
        var (code, severity, message) = e.Result switch
        {
            "pass" => ("spf.pass", FindingSeverity.Pass, $"SPF: PASS for {who}{decided}."),
            "fail" => ("spf.fail", FindingSeverity.Error, $"SPF: FAIL for {who}{decided}; receivers reject or junk it. Add this address (ip4:/ip6:) or the provider's include: to the SPF record of {report.Domain}."),
            "softfail" => ("spf.softfail", FindingSeverity.Warning, $"SPF: SOFTFAIL for {who}{decided}; mail is usually junked. Authorize this address in the SPF record of {report.Domain}."),
            "neutral" => ("spf.neutral", FindingSeverity.Warning, $"SPF: NEUTRAL for {who}{decided}; the domain makes no assertion, which counts as no SPF for DMARC. Authorize this address explicitly."),
            "none" => ("spf.none", FindingSeverity.Warning, $"SPF: NONE for {who}: {e.Reason}; publish a TXT record such as \"v=spf1 ip4:<your egress> -all\" at {report.Domain}."),
            "temperror" => ("spf.temperror", FindingSeverity.Warning, $"SPF: TEMPERROR for {who}: {e.Reason}; receivers defer the message."),
            "not-evaluated" => ("spf.not-evaluated", FindingSeverity.Info, $"SPF was not evaluated for {who}: DNS is off; put the SPF record of {report.Domain} in the --dns-overrides file or set Diagnostics:Dns=on."),
            _ when e.Reason.Contains("DNS lookups (", StringComparison.Ordinal) => ("spf.too-many-lookups", FindingSeverity.Error,
                $"SPF: PERMERROR for {who}: {e.Reason} at '{e.Mechanism}' in {e.DecidedBy}; receivers treat this as a failure. Flatten includes or replace them with ip4:/ip6: ranges (chain: {string.Join(" > ", e.Includes)})."),
            _ when e.Reason.Contains("void lookups", StringComparison.Ordinal) => ("spf.void-lookups", FindingSeverity.Error,
                $"SPF: PERMERROR for {who}: {e.Reason} at '{e.Mechanism}' in {e.DecidedBy}; remove terms that point at names without records."),
            _ => ("spf.permerror", FindingSeverity.Error, $"SPF: PERMERROR for {who}: {e.Reason}; receivers treat this as a failure. Fix the record."),
        };

        if (informational && severity is FindingSeverity.Error or FindingSeverity.Warning)
        {
            // The client is the developer's machine; Diagnostics:SenderIp is the address that matters.
            severity = FindingSeverity.Info;
            code += ".client";
        }

        return Finding.Of(code, severity, FindingArea.Spf, e.Result switch
        {
            "pass" or "fail" or "softfail" or "neutral" or "none" => "RFC 7208 section 2.6",
            "temperror" => "RFC 7208 section 2.6.6",
            "not-evaluated" => "RFC 7208 section 4.4",
            _ => "RFC 7208 section 4.6.4",
        }, message);
    }
}
