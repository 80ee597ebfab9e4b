using MailSink.Diagnostics.Dkim;
using MailSink.Diagnostics.Dns;
using MailSink.Diagnostics.Spf;

namespace MailSink.Diagnostics.Dmarc;

/// <summary>
/// RFC 7489: policy discovery for the From domain (section 6.6.3, with the organizational-domain fallback),
/// identifier alignment of DKIM d= and the SPF domain (section 3.1), and the verdict with the fix.
/// </summary>
internal static class DmarcChecker
{
    public static async Task<DmarcResult?> CheckAsync(string? fromAddress, IReadOnlyList<DkimResult> dkim, SpfReport? spf, IDnsResolver resolver, List<Finding> findings, CancellationToken cancellationToken)
    {
        var at = fromAddress?.LastIndexOf('@') ?? -1;
        if (fromAddress is null || at < 0 || at == fromAddress.Length - 1)
        {
            findings.Add(Finding.Of("dmarc.no-from-domain", FindingSeverity.Error, FindingArea.Dmarc, "RFC 7489 section 6.6.1",
                "DMARC cannot be evaluated: there is no single From address with a domain; receivers reject such mail. Send with one From address."));
            return null;
        }

        var from = fromAddress[(at + 1)..].TrimEnd('.').ToLowerInvariant();
        var result = new DmarcResult { FromDomain = from, OrganizationalDomain = OrganizationalDomain.Of(from) };
        var (status, record, recordDomain) = await DiscoverAsync(from, result.OrganizationalDomain, resolver, cancellationToken).ConfigureAwait(false);
        switch (status)
        {
            case DnsStatus.NotEvaluated:
                result.Result = "not-evaluated";
                findings.Add(Finding.Of("dmarc.not-evaluated", FindingSeverity.Info, FindingArea.Dmarc, "RFC 7489 section 6.6.3",
                    $"DMARC was not evaluated for {from}: DNS is off; put _dmarc.{from} in the --dns-overrides file or set Diagnostics:Dns=on."));
                return result;
            case DnsStatus.Failed:
                result.Result = "temperror";
                findings.Add(Finding.Of("dmarc.temperror", FindingSeverity.Warning, FindingArea.Dmarc, "RFC 7489 section 6.6.3",
                    $"DMARC: the DNS query for _dmarc.{from} failed; receivers would defer."));
                return result;
        }

        FillAlignment(result, dkim, spf);
        if (record is null)
        {
            result.Result = "none";
            result.Verdict = $"DMARC: no record for {from}";
            result.Fix = $"Publish a TXT record at _dmarc.{result.OrganizationalDomain} such as \"v=DMARC1; p=none; rua=mailto:dmarc@{result.OrganizationalDomain}\".";
            findings.Add(Finding.Of("dmarc.no-record", FindingSeverity.Warning, FindingArea.Dmarc, "RFC 7489 section 6.6.3",
                $"{from} publishes no DMARC record (neither _dmarc.{from} nor _dmarc.{result.OrganizationalDomain}); Gmail and Yahoo require one for bulk senders. {result.Fix}"));
            return result;
        }

        var tags = DkimTags.Parse(record);
        result.Record = record;
        result.RecordDomain = recordDomain;
        result.Policy = tags.GetValueOrDefault("p", "").ToLowerInvariant();
        result.SubdomainPolicy = tags.GetValueOrDefault("sp", "").ToLowerInvariant();
        result.Adkim = string.Equals(tags.GetValueOrDefault("adkim", "r"), "s", StringComparison.OrdinalIgnoreCase) ? "s" : "r";
        result.Aspf = string.Equals(tags.GetValueOrDefault("aspf", "r"), "s", StringComparison.OrdinalIgnoreCase) ? "s" : "r";
        if (result.Policy is not ("none" or "quarantine" or "reject"))
        {
            result.Result = "permerror";
            findings.Add(Finding.Of("dmarc.invalid-record", FindingSeverity.Error, FindingArea.Dmarc, "RFC 7489 section 6.3",
                $"The DMARC record at _dmarc.{recordDomain} has no valid p= (got '{result.Policy}'); receivers ignore it. Use p=none, quarantine or reject."));
            return result;
        }

        // Section 6.6.3: a record found at the organizational domain applies sp= (if any) to a subdomain.
        result.AppliedPolicy = recordDomain != from && result.SubdomainPolicy is "none" or "quarantine" or "reject" ? result.SubdomainPolicy : result.Policy;
        FillAlignment(result, dkim, spf);
        Decide(result, findings);
        return result;
    }

    private static async Task<(DnsStatus Status, string? Record, string Domain)> DiscoverAsync(string from, string organizational, IDnsResolver resolver, CancellationToken cancellationToken)
    {
        var first = await FindAsync(from, resolver, cancellationToken).ConfigureAwait(false);
        if (first.Status is DnsStatus.NotEvaluated or DnsStatus.Failed || first.Record is not null || organizational == from)
        {
            return (first.Status, first.Record, from);
        }

        var fallback = await FindAsync(organizational, resolver, cancellationToken).ConfigureAwait(false);
        return (fallback.Status, fallback.Record, organizational);
    }

    private static async Task<(DnsStatus Status, string? Record)> FindAsync(string domain, IDnsResolver resolver, CancellationToken cancellationToken)
    {
        var answer = await resolver.QueryAsync($"_dmarc.{domain}", DnsRecordType.Txt, cancellationToken).ConfigureAwait(false);
        if (answer.Status != DnsStatus.Found)
        {
            return (answer.Status, null);
        }

        // Section 6.6.3: records must begin with v=DMARC1; anything but exactly one means no policy.
        var records = answer.Values.Where(v => v.TrimStart().StartsWith("v=DMARC1", StringComparison.Ordinal)).ToList();
        return (DnsStatus.Found, records.Count == 1 ? records[0] : null);
    }

    /// <summary>Section 3.1: strict alignment needs the same domain; relaxed the same organizational domain.</summary>
    private static bool Aligned(string domain, string from, string mode) =>
        mode == "s" ? domain.Equals(from, StringComparison.OrdinalIgnoreCase) : OrganizationalDomain.Of(domain) == OrganizationalDomain.Of(from);

    private static void FillAlignment(DmarcResult result, IReadOnlyList<DkimResult> dkim, SpfReport? spf)
    {
        result.DkimDomains = dkim.Where(d => d.Result == "pass").Select(d => d.Domain).Distinct().ToList();
        result.DkimAligned = result.DkimDomains.Any(d => Aligned(d, result.FromDomain, result.Adkim));
        result.SpfDomain = spf?.Domain ?? "";
        result.SpfResult = spf?.Deciding?.Result ?? "";
        result.SpfAligned = spf is { Identity: "mailfrom" } && result.SpfResult == "pass" && Aligned(spf.Domain, result.FromDomain, result.Aspf);
    }

    private static void Decide(DmarcResult result, List<Finding> findings)
    {
        var from = result.FromDomain;
        var policy = $"p={result.AppliedPolicy}{(result.AppliedPolicy != result.Policy ? " (sp=)" : "")}";
        if (result.DkimAligned || result.SpfAligned)
        {
            result.Result = "pass";
            var by = result.DkimAligned ? $"DKIM ({string.Join(", ", result.DkimDomains)})" : $"SPF ({result.SpfDomain})";
            result.Verdict = $"DMARC would pass for {from} ({policy}): From is aligned with {by}";
            findings.Add(Finding.Of("dmarc.pass", FindingSeverity.Pass, FindingArea.Dmarc, "RFC 7489 section 3.1", $"{result.Verdict}."));
            if (!result.DkimAligned)
            {
                findings.Add(Finding.Of("dmarc.spf-only", FindingSeverity.Warning, FindingArea.Dmarc, "RFC 7489 section 4.2",
                    $"DMARC passes for {from} on SPF alone, which breaks when the message is forwarded; also sign with DKIM d={from}."));
            }

            return;
        }

        result.Result = "fail";
        var dkimText = result.DkimDomains.Count > 0 ? string.Join(", ", result.DkimDomains) : "no passing signature";
        var spfText = result.SpfDomain.Length == 0 ? "no domain" : result.SpfResult == "pass" ? result.SpfDomain : $"{result.SpfDomain}: {(result.SpfResult.Length > 0 ? result.SpfResult : "not evaluated")}";
        result.Verdict = $"DMARC would fail for {from} ({policy}): From is aligned with neither DKIM ({dkimText}) nor SPF ({spfText})";
        var mode = result.Adkim == "s" ? $"d={from} exactly (adkim=s)" : $"d={from} or a domain under {result.OrganizationalDomain}";
        var spfMode = result.Aspf == "s" ? $"exactly {from} (aspf=s)" : $"under {result.OrganizationalDomain}";
        result.Fix = $"Sign with {mode}, or use a Return-Path (MAIL FROM) {spfMode} whose SPF record authorizes the sending IP.";
        var severity = result.AppliedPolicy == "none" ? FindingSeverity.Warning : FindingSeverity.Error;
        findings.Add(Finding.Of("dmarc.fail", severity, FindingArea.Dmarc, "RFC 7489 section 6.6.2",
            $"{result.Verdict}. {result.Fix}"));
    }
}
