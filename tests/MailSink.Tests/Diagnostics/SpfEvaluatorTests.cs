using System.Net;
using MailSink.Diagnostics.Spf;

namespace MailSink.Tests.Diagnostics;

/// <summary>Cases in the style of the RFC 7208 test suite (openspf.org), served by the overrides file instead of live DNS.</summary>
public sealed class SpfEvaluatorTests
{
    private static async Task<SpfEvaluation> EvaluateAsync(string zone, string ip, string domain = "example.test", string sender = "app@example.test", string helo = "mail.example.test")
    {
        using var file = new DnsZoneFile(zone);
        var evaluator = new SpfEvaluator(file.Resolver, new SpfContext(IPAddress.Parse(ip), sender, helo));
        return await evaluator.EvaluateAsync(domain, CancellationToken.None);
    }

    [Theory]
    [InlineData("192.0.2.10", "pass", "ip4:192.0.2.0/24")]
    [InlineData("192.0.2.1", "pass", "ip4:192.0.2.0/24")]
    [InlineData("198.51.100.7", "fail", "-all")]
    [InlineData("2001:db8::1", "softfail", "~ip6:2001:db8::/32")]
    public async Task An_ip_mechanism_decides_with_its_qualifier(string ip, string result, string mechanism)
    {
        var e = await EvaluateAsync("example.test TXT \"v=spf1 ip4:192.0.2.0/24 ~ip6:2001:db8::/32 -all\"", ip);

        Assert.Equal(result, e.Result);
        Assert.Equal(mechanism, e.Mechanism);
        Assert.Equal(0, e.DnsLookups);
    }

    [Fact]
    public async Task An_include_that_passes_matches_and_the_chain_is_reported()
    {
        const string Zone = """
            example.test TXT "v=spf1 include:_spf.provider.test -all"
            _spf.provider.test TXT "v=spf1 include:_netblocks.provider.test ?all"
            _netblocks.provider.test TXT "v=spf1 ip4:203.0.113.0/24 -all"
            """;

        var pass = await EvaluateAsync(Zone, "203.0.113.5");
        var fail = await EvaluateAsync(Zone, "198.51.100.1");

        Assert.Equal("pass", pass.Result);
        Assert.Equal("ip4:203.0.113.0/24", pass.Mechanism);
        Assert.Equal("_netblocks.provider.test", pass.DecidedBy);
        Assert.Equal(["example.test", "_spf.provider.test", "_netblocks.provider.test"], pass.Includes);
        Assert.Equal(2, pass.DnsLookups);

        // The include's ?all is neutral, which is "no match" for the including record (RFC 7208 section 5.2).
        Assert.Equal("fail", fail.Result);
        Assert.Equal("-all", fail.Mechanism);
    }

    [Fact]
    public async Task An_include_of_a_domain_without_a_record_is_a_permerror()
    {
        var e = await EvaluateAsync("example.test TXT \"v=spf1 include:missing.test -all\"\nmissing.test A 192.0.2.1", "192.0.2.10");

        Assert.Equal("permerror", e.Result);
    }

    [Fact]
    public async Task A_redirect_takes_the_result_of_its_target_and_counts_as_a_lookup()
    {
        const string Zone = """
            example.test TXT "v=spf1 redirect=_spf.example.test"
            _spf.example.test TXT "v=spf1 ip4:192.0.2.0/24 -all"
            """;

        var pass = await EvaluateAsync(Zone, "192.0.2.10");
        var fail = await EvaluateAsync(Zone, "198.51.100.1");

        Assert.Equal(("pass", 1), (pass.Result, pass.DnsLookups));
        Assert.Equal("fail", fail.Result);
    }

    [Fact]
    public async Task A_redirect_to_a_domain_without_a_record_is_a_permerror()
    {
        var e = await EvaluateAsync("example.test TXT \"v=spf1 redirect=nothing.test\"\nnothing.test A 192.0.2.1", "192.0.2.10");

        Assert.Equal("permerror", e.Result);
    }

    [Theory]
    [InlineData(10, "pass")]
    [InlineData(11, "permerror")]
    public async Task More_than_ten_DNS_querying_terms_is_a_permerror(int includes, string result)
    {
        // A chain: example.test includes i1, i1 includes i2, ... the last one holds the address.
        var lines = new List<string> { "example.test TXT \"v=spf1 include:i1.test -all\"" };
        for (var i = 1; i < includes; i++)
        {
            lines.Add($"i{i}.test TXT \"v=spf1 include:i{i + 1}.test -all\"");
        }

        lines.Add($"i{includes}.test TXT \"v=spf1 ip4:192.0.2.10 -all\"");

        var e = await EvaluateAsync(string.Join('\n', lines), "192.0.2.10");

        Assert.Equal(result, e.Result);
        Assert.Equal(Math.Min(includes, 11), e.DnsLookups);
        if (result == "permerror")
        {
            Assert.Contains("more than 10 DNS lookups", e.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task More_than_two_void_lookups_is_a_permerror()
    {
        const string Zone = """
            example.test TXT "v=spf1 a:none1.test a:none2.test a:none3.test ip4:192.0.2.10 -all"
            """;

        var e = await EvaluateAsync(Zone, "192.0.2.10");

        Assert.Equal("permerror", e.Result);
        Assert.Equal(3, e.VoidLookups);
        Assert.Equal("a:none3.test", e.Mechanism);
    }

    [Fact]
    public async Task Two_void_lookups_are_allowed()
    {
        var e = await EvaluateAsync("example.test TXT \"v=spf1 a:none1.test a:none2.test ip4:192.0.2.10 -all\"", "192.0.2.10");

        Assert.Equal(("pass", 2), (e.Result, e.VoidLookups));
    }

    [Fact]
    public async Task The_a_and_mx_mechanisms_match_addresses_with_a_prefix()
    {
        const string Zone = """
            example.test TXT "v=spf1 a/30 mx -all"
            example.test A 192.0.2.8
            example.test MX 10 mx.example.test
            mx.example.test A 198.51.100.20
            """;

        Assert.Equal("a/30", (await EvaluateAsync(Zone, "192.0.2.10")).Mechanism);
        Assert.Equal("mx", (await EvaluateAsync(Zone, "198.51.100.20")).Mechanism);
        Assert.Equal("fail", (await EvaluateAsync(Zone, "192.0.2.12")).Result);
    }

    [Fact]
    public async Task Exists_with_ip_and_domain_macros_queries_the_expanded_name()
    {
        const string Zone = """
            example.test TXT "v=spf1 exists:%{ir}.%{v}._spf.%{d} -all"
            10.2.0.192.in-addr._spf.example.test A 127.0.0.2
            """;

        Assert.Equal("pass", (await EvaluateAsync(Zone, "192.0.2.10")).Result);
        Assert.Equal("fail", (await EvaluateAsync(Zone, "192.0.2.11")).Result);
    }

    [Fact]
    public async Task Two_spf_records_are_a_permerror_and_none_is_none()
    {
        Assert.Equal("permerror", (await EvaluateAsync("example.test TXT \"v=spf1 -all\"\nexample.test TXT \"v=spf1 +all\"", "192.0.2.1")).Result);
        Assert.Equal("none", (await EvaluateAsync("example.test TXT \"google-site-verification=abc\"", "192.0.2.1")).Result);
    }

    [Theory]
    [InlineData("v=spf1 foo:bar -all")]
    [InlineData("v=spf1 ip4:300.1.1.1 -all")]
    [InlineData("v=spf1 include -all")]
    [InlineData("v=spf1 redirect=a.test redirect=b.test")]
    [InlineData("v=spf1 exists:%{z}.example.test -all")]
    public async Task A_syntax_error_anywhere_is_a_permerror(string record)
    {
        Assert.Equal("permerror", (await EvaluateAsync($"example.test TXT \"{record}\"", "192.0.2.1")).Result);
    }

    [Fact]
    public async Task Without_an_overrides_file_or_DNS_the_result_is_not_evaluated()
    {
        var evaluator = new SpfEvaluator(new MailSink.Diagnostics.Dns.DiagnosticsResolver(null, null), new SpfContext(IPAddress.Loopback, "a@example.test", "h.example.test"));

        Assert.Equal("not-evaluated", (await evaluator.EvaluateAsync("example.test", CancellationToken.None)).Result);
    }

    // RFC 7208 section 7.4: sender strong-bad@email.example.com, IP 192.0.2.3 and 2001:db8::cb01.
    [Theory]
    [InlineData("%{s}", "strong-bad@email.example.com")]
    [InlineData("%{o}", "email.example.com")]
    [InlineData("%{d}", "email.example.com")]
    [InlineData("%{d4}", "email.example.com")]
    [InlineData("%{d3}", "email.example.com")]
    [InlineData("%{d2}", "example.com")]
    [InlineData("%{d1}", "com")]
    [InlineData("%{dr}", "com.example.email")]
    [InlineData("%{d2r}", "example.email")]
    [InlineData("%{l}", "strong-bad")]
    [InlineData("%{l-}", "strong.bad")]
    [InlineData("%{lr}", "strong-bad")]
    [InlineData("%{lr-}", "bad.strong")]
    [InlineData("%{l1r-}", "strong")]
    [InlineData("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com")]
    [InlineData("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net")]
    public void Macros_expand_as_in_the_RFC_examples(string spec, string expected)
    {
        var context = new SpfContext(IPAddress.Parse("192.0.2.3"), "strong-bad@email.example.com", "mx.example.org");

        Assert.Equal(expected, SpfMacroExpander.Expand(spec, context, "email.example.com"));
    }

    [Fact]
    public void The_ip_macro_of_an_IPv6_address_is_dotted_nibbles()
    {
        var context = new SpfContext(IPAddress.Parse("2001:db8::cb01"), "strong-bad@email.example.com", "mx.example.org");

        Assert.Equal("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com", SpfMacroExpander.Expand("%{ir}.%{v}._spf.%{d2}", context, "email.example.com"));
    }

    [Fact]
    public async Task The_ptr_mechanism_matches_a_validated_reverse_name_under_the_domain()
    {
        const string Zone = """
            example.test TXT "v=spf1 ptr -all"
            192.0.2.10 PTR mail.example.test
            mail.example.test A 192.0.2.10
            192.0.2.11 PTR forged.example.test
            """;

        Assert.Equal(("pass", "ptr"), ((await EvaluateAsync(Zone, "192.0.2.10")).Result, (await EvaluateAsync(Zone, "192.0.2.10")).Mechanism));

        // forged.example.test does not resolve back to 192.0.2.11, so the name is not validated.
        Assert.Equal("fail", (await EvaluateAsync(Zone, "192.0.2.11")).Result);
    }

    [Fact]
    public async Task A_bounce_with_an_empty_MAIL_FROM_is_checked_against_the_HELO_name()
    {
        using var zone = new DnsZoneFile("mta.example.test TXT \"v=spf1 ip4:192.0.2.10 -all\"\n");
        var envelope = Checks.Envelope(mailFrom: "", helo: "mta.example.test", client: "192.0.2.10");
        var findings = new List<MailSink.Diagnostics.Finding>();

        var report = await SpfChecker.CheckAsync(envelope, null, zone.Resolver, findings, CancellationToken.None);

        Assert.Equal(("mta.example.test", "helo"), (report!.Domain, report.Identity));
        Assert.Equal("pass", report.Deciding!.Result);
    }

    [Fact]
    public async Task With_a_sender_ip_configured_the_loopback_client_result_is_only_information()
    {
        using var zone = new DnsZoneFile("example.test TXT \"v=spf1 ip4:203.0.113.0/24 -all\"\n");
        var envelope = Checks.Envelope(mailFrom: "app@example.test", client: "127.0.0.1");
        var findings = new List<MailSink.Diagnostics.Finding>();

        var report = await SpfChecker.CheckAsync(envelope, IPAddress.Parse("203.0.113.7"), zone.Resolver, findings, CancellationToken.None);

        Assert.Equal(["fail", "pass"], report!.Evaluations.Select(e => e.Result));
        Assert.Equal("203.0.113.7", report.Deciding!.Ip);
        Assert.Contains(findings, f => f.Code == "spf.fail.client" && f.Severity == MailSink.Diagnostics.FindingSeverity.Info);
        Assert.Contains(findings, f => f.Code == "spf.pass");
    }
}
