using MailSink.Diagnostics;
using MailSink.Diagnostics.Dkim;
using MailSink.Diagnostics.Dmarc;
using MailSink.Diagnostics.Spf;

namespace MailSink.Tests.Diagnostics;

public sealed class DmarcCheckTests
{
    private static DkimResult Dkim(string domain, string result = "pass") => new() { Domain = domain, Result = result, Selector = "s1" };

    private static SpfReport Spf(string domain, string result = "pass") => new()
    {
        Domain = domain,
        Identity = "mailfrom",
        Evaluations = [new SpfEvaluation { Result = result, Ip = "192.0.2.10", IpSource = "client" }],
    };

    private static async Task<(DmarcResult? Result, List<Finding> Findings)> CheckAsync(string zone, string from, DkimResult[] dkim, SpfReport? spf)
    {
        using var file = new DnsZoneFile(zone);
        var findings = new List<Finding>();
        var result = await DmarcChecker.CheckAsync(from, dkim, spf, file.Resolver, findings, CancellationToken.None);
        return (result, findings);
    }

    [Fact]
    public async Task Relaxed_alignment_passes_when_DKIM_signs_with_a_subdomain_of_the_From_domain()
    {
        var (result, findings) = await CheckAsync("_dmarc.shop.example TXT \"v=DMARC1; p=reject\"", "news@shop.example", [Dkim("mail.shop.example")], Spf("other.example"));

        Assert.Equal("pass", result!.Result);
        Assert.True(result.DkimAligned);
        Assert.Contains(findings, f => f.Code == "dmarc.pass");
    }

    [Fact]
    public async Task Strict_DKIM_alignment_fails_for_a_subdomain_signature_and_says_which_d_to_use()
    {
        var (result, findings) = await CheckAsync("_dmarc.shop.example TXT \"v=DMARC1; p=quarantine; adkim=s\"", "news@shop.example", [Dkim("mail.shop.example")], null);

        Assert.Equal("fail", result!.Result);
        Assert.Equal("quarantine", result.AppliedPolicy);
        Assert.Contains("d=shop.example exactly (adkim=s)", result.Fix, StringComparison.Ordinal);
        Assert.Contains(findings, f => f.Code == "dmarc.fail" && f.Severity == FindingSeverity.Error);
    }

    [Fact]
    public async Task Relaxed_SPF_alignment_passes_with_a_Return_Path_under_the_From_domain_and_warns_it_relies_on_SPF()
    {
        var (result, findings) = await CheckAsync("_dmarc.shop.example TXT \"v=DMARC1; p=reject\"", "news@shop.example", [], Spf("bounce.shop.example"));

        Assert.Equal("pass", result!.Result);
        Assert.True(result.SpfAligned);
        Assert.Contains(findings, f => f.Code == "dmarc.spf-only");
    }

    [Fact]
    public async Task Strict_SPF_alignment_fails_for_a_Return_Path_in_a_subdomain()
    {
        var (result, _) = await CheckAsync("_dmarc.shop.example TXT \"v=DMARC1; p=reject; aspf=s\"", "news@shop.example", [], Spf("bounce.shop.example"));

        Assert.Equal("fail", result!.Result);
    }

    [Fact]
    public async Task A_failing_SPF_result_does_not_align_even_in_the_From_domain()
    {
        var (result, _) = await CheckAsync("_dmarc.shop.example TXT \"v=DMARC1; p=reject\"", "news@shop.example", [Dkim("shop.example", "fail")], Spf("shop.example", "softfail"));

        Assert.Equal("fail", result!.Result);
        Assert.Contains("DKIM (no passing signature) nor SPF (shop.example: softfail)", result.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_subdomain_uses_the_organizational_record_and_its_sp_policy()
    {
        var (result, _) = await CheckAsync("_dmarc.shop.example TXT \"v=DMARC1; p=reject; sp=quarantine\"", "news@mail.shop.example", [Dkim("other.example")], null);

        Assert.Equal("fail", result!.Result);
        Assert.Equal("shop.example", result.RecordDomain);
        Assert.Equal("quarantine", result.AppliedPolicy);
        Assert.StartsWith("DMARC would fail for mail.shop.example (p=quarantine (sp=))", result.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_record_is_none_with_a_record_to_publish()
    {
        var (result, findings) = await CheckAsync("shop.example A 192.0.2.1", "news@shop.example", [Dkim("shop.example")], null);

        Assert.Equal("none", result!.Result);
        var finding = Assert.Single(findings, f => f.Code == "dmarc.no-record");
        Assert.Contains("_dmarc.shop.example", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_p_none_policy_fails_as_a_warning_not_an_error()
    {
        var (_, findings) = await CheckAsync("_dmarc.shop.example TXT \"v=DMARC1; p=none\"", "news@shop.example", [Dkim("mailer.example")], null);

        Assert.Equal(FindingSeverity.Warning, Assert.Single(findings, f => f.Code == "dmarc.fail").Severity);
    }

    [Fact]
    public void The_organizational_domain_is_the_last_two_labels()
    {
        Assert.Equal("shop.example", OrganizationalDomain.Of("a.b.shop.example."));
        Assert.Equal("example", OrganizationalDomain.Of("example"));
    }
}
