using MailSink.Diagnostics;
using MailSink.Diagnostics.Dkim;
using MailSink.Diagnostics.Dmarc;
using MailSink.Diagnostics.Spf;

namespace MailSink.Contracts;

// GET /api/v1/message/{id}/checks. The Diagnostics types are what the checkers fill in and what LiteDB stores with
// the summary; these records are what the API promises, so a storage or checker refactoring cannot change the wire
// by accident. Field order follows the Diagnostics types so the JSON is the same as before these records existed.

/// <summary>Everything the deliverability checks found about one message.</summary>
internal sealed record MessageChecksDto(
    string AuthenticationResults,
    IReadOnlyList<DkimResultDto> Dkim,
    SpfReportDto? Spf,
    DmarcResultDto? Dmarc,
    IReadOnlyList<FindingDto> Findings,
    FindingCountsDto Counts)
{
    public static MessageChecksDto From(MessageChecks c) => new(
        c.AuthenticationResults,
        [.. c.Dkim.Select(DkimResultDto.From)],
        c.Spf is null ? null : SpfReportDto.From(c.Spf),
        c.Dmarc is null ? null : DmarcResultDto.From(c.Dmarc),
        [.. c.Findings.Select(FindingDto.From)],
        FindingCountsDto.From(c.Counts));
}

/// <summary>The verdict on one DKIM-Signature header; <see cref="KeyName"/> is where its key was looked up.</summary>
internal sealed record DkimResultDto(
    string Result,
    string Reason,
    string Domain,
    string Selector,
    string Algorithm,
    string Identity,
    string Canonicalization,
    IReadOnlyList<string> SignedHeaders,
    long? BodyLength,
    DateTimeOffset? SignedAt,
    DateTimeOffset? ExpiresAt,
    bool? BodyHashMatches,
    int? KeyBits,
    string KeyName)
{
    public static DkimResultDto From(DkimResult d) => new(
        d.Result, d.Reason, d.Domain, d.Selector, d.Algorithm, d.Identity, d.Canonicalization, d.SignedHeaders,
        d.BodyLength, d.SignedAt, d.ExpiresAt, d.BodyHashMatches, d.KeyBits, d.KeyName);
}

/// <summary>SPF for the MAIL FROM domain (or HELO); <see cref="Deciding"/> is the evaluation DMARC uses.</summary>
internal sealed record SpfReportDto(
    string Domain,
    string Identity,
    string Record,
    IReadOnlyList<SpfEvaluationDto> Evaluations,
    SpfEvaluationDto? Deciding)
{
    public static SpfReportDto From(SpfReport s) => new(
        s.Domain, s.Identity, s.Record, [.. s.Evaluations.Select(SpfEvaluationDto.From)], s.Deciding is { } d ? SpfEvaluationDto.From(d) : null);
}

/// <summary>The SPF verdict for one client address.</summary>
internal sealed record SpfEvaluationDto(
    string Ip,
    string IpSource,
    string Result,
    string Mechanism,
    string DecidedBy,
    IReadOnlyList<string> Includes,
    int DnsLookups,
    int VoidLookups,
    string Reason)
{
    public static SpfEvaluationDto From(SpfEvaluation e) => new(
        e.Ip, e.IpSource, e.Result, e.Mechanism, e.DecidedBy, e.Includes, e.DnsLookups, e.VoidLookups, e.Reason);
}

/// <summary>What DMARC would decide for the From domain, with the record, alignment and the fix.</summary>
internal sealed record DmarcResultDto(
    string Result,
    string FromDomain,
    string OrganizationalDomain,
    string RecordDomain,
    string Record,
    string Policy,
    string SubdomainPolicy,
    string AppliedPolicy,
    string Adkim,
    string Aspf,
    bool DkimAligned,
    bool SpfAligned,
    IReadOnlyList<string> DkimDomains,
    string SpfDomain,
    string SpfResult,
    string Verdict,
    string Fix)
{
    public static DmarcResultDto From(DmarcResult d) => new(
        d.Result, d.FromDomain, d.OrganizationalDomain, d.RecordDomain, d.Record, d.Policy, d.SubdomainPolicy,
        d.AppliedPolicy, d.Adkim, d.Aspf, d.DkimAligned, d.SpfAligned, d.DkimDomains, d.SpfDomain, d.SpfResult,
        d.Verdict, d.Fix);
}

/// <summary>One finding: a stable code scripts match on, and a sentence a developer can act on.</summary>
internal sealed record FindingDto(string Code, FindingSeverity Severity, FindingArea Area, string Message, string Rfc)
{
    public static FindingDto From(Finding f) => new(f.Code, f.Severity, f.Area, f.Message, f.Rfc);
}

/// <summary>How many findings a message has per severity (also in message lists, to badge rows).</summary>
internal sealed record FindingCountsDto(int Error, int Warning, int Info, int Pass)
{
    public static FindingCountsDto From(FindingCounts c) => new(c.Error, c.Warning, c.Info, c.Pass);
}
