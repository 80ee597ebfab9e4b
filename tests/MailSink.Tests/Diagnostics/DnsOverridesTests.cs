using MailSink.Diagnostics.Dns;

namespace MailSink.Tests.Diagnostics;

public sealed class DnsOverridesTests
{
    [Fact]
    public void Quoted_TXT_strings_are_joined_comments_dropped_and_names_compared_without_case_or_trailing_dot()
    {
        var table = DnsOverridesParser.Parse("""
            # keys and policies for the tests
            Sel._DomainKey.Shop.Example. TXT "v=DKIM1; k=rsa; " "p=ABC" ( "DEF" )  # split like a zone file
            shop.example TXT v=spf1 -all
            shop.example MX 10 mx.shop.example
            203.0.113.5 PTR mail.shop.example.
            www.shop.example CNAME shop.example
            _dmarc.shop.example TXT "v=DMARC1; p=reject; rua=mailto:d#x@shop.example"
            """);

        Assert.Equal(["v=DKIM1; k=rsa; p=ABCDEF"], table.Get("sel._domainkey.shop.example", DnsRecordType.Txt));
        Assert.Equal(["v=spf1 -all"], table.Get("SHOP.example", DnsRecordType.Txt));
        Assert.Equal(["10 mx.shop.example"], table.Get("shop.example", DnsRecordType.Mx));
        Assert.Equal(["mail.shop.example"], table.Get("203.0.113.5", DnsRecordType.Ptr));
        Assert.Equal(["v=DMARC1; p=reject; rua=mailto:d#x@shop.example"], table.Get("_dmarc.shop.example", DnsRecordType.Txt));
    }

    [Theory]
    [InlineData("shop.example TXT", "line 1")]
    [InlineData("\nshop.example SRV 0 5 25 mx", "line 2: record type 'SRV'")]
    [InlineData("shop.example A not-an-address", "not an IP address")]
    [InlineData("shop.example TXT \"unclosed", "closing quote")]
    public void A_bad_line_is_refused_naming_the_line(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => DnsOverridesParser.Parse(text));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CNAMEs_are_followed_and_names_the_file_lacks_do_not_exist()
    {
        using var zone = new DnsZoneFile("www.shop.example CNAME shop.example\nshop.example A 192.0.2.1\n");

        Assert.Equal(["192.0.2.1"], (await zone.Resolver.QueryAsync("www.shop.example", DnsRecordType.A, CancellationToken.None)).Values);
        Assert.Equal(DnsStatus.NotFound, (await zone.Resolver.QueryAsync("other.example", DnsRecordType.A, CancellationToken.None)).Status);
        Assert.Equal(DnsStatus.NotFound, (await zone.Resolver.QueryAsync("shop.example", DnsRecordType.Txt, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Without_a_file_or_DNS_every_question_is_not_evaluated()
    {
        var resolver = new DiagnosticsResolver(null, null);

        Assert.Equal(DnsStatus.NotEvaluated, (await resolver.QueryAsync("shop.example", DnsRecordType.Txt, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task An_edited_file_is_reloaded_and_a_broken_edit_keeps_the_last_good_version()
    {
        using var zone = new DnsZoneFile("shop.example TXT \"v=spf1 -all\"\n");
        Assert.Equal(["v=spf1 -all"], (await zone.Resolver.QueryAsync("shop.example", DnsRecordType.Txt, CancellationToken.None)).Values);

        await File.WriteAllTextAsync(zone.Path, "shop.example TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n");
        File.SetLastWriteTimeUtc(zone.Path, DateTime.UtcNow.AddSeconds(5));
        Assert.Equal(["v=spf1 ip4:192.0.2.0/24 -all"], (await zone.Resolver.QueryAsync("shop.example", DnsRecordType.Txt, CancellationToken.None)).Values);

        await File.WriteAllTextAsync(zone.Path, "shop.example BOGUS\n");
        File.SetLastWriteTimeUtc(zone.Path, DateTime.UtcNow.AddSeconds(10));
        Assert.Equal(["v=spf1 ip4:192.0.2.0/24 -all"], (await zone.Resolver.QueryAsync("shop.example", DnsRecordType.Txt, CancellationToken.None)).Values);
    }
}
