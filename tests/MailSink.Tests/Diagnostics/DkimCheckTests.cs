using MailSink.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using MimeKit.Cryptography;

namespace MailSink.Tests.Diagnostics;

public sealed class DkimCheckTests
{
    private static readonly DkimKeys Rsa2048 = DkimKeys.Rsa(2048);

    private static MimeMessage Signed(DkimKeys keys, string domain = "shop.example", string selector = "s1", DkimSignatureAlgorithm algorithm = DkimSignatureAlgorithm.RsaSha256, TimeSpan? expireAfter = null)
    {
        var message = Checks.NewMessage(from: $"news@{domain}");
        var signer = keys.Signer(domain, selector, algorithm);
        signer.SignaturesExpireAfter = expireAfter;
        signer.Sign(message, DkimKeys.SignedHeaders);
        return message;
    }

    [Fact]
    public async Task A_signature_verifies_as_pass_with_the_key_from_the_overrides_file_split_into_quoted_strings()
    {
        using var zone = new DnsZoneFile(Rsa2048.ZoneLine("s1", "shop.example"));

        var checks = await Checks.RunAsync(Signed(Rsa2048), zone.Resolver);

        var dkim = Assert.Single(checks.Dkim);
        Assert.Equal("pass", dkim.Result);
        Assert.Equal("shop.example", dkim.Domain);
        Assert.Equal(2048, dkim.KeyBits);
        Assert.True(dkim.BodyHashMatches);
        Assert.Contains(checks.Findings, f => f.Code == "dkim.pass" && f.Severity == FindingSeverity.Pass);
        Assert.Contains("dkim=pass", checks.AuthenticationResults, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_changed_body_byte_fails_with_body_hash_mismatch()
    {
        using var zone = new DnsZoneFile(Rsa2048.ZoneLine("s1", "shop.example"));
        var raw = DkimKeys.Replace(DkimKeys.Bytes(Signed(Rsa2048)), "Thank you", "Thank yoU");

        var checks = await Checks.RunAsync(raw, zone.Resolver);

        var dkim = Assert.Single(checks.Dkim);
        Assert.Equal("fail", dkim.Result);
        Assert.Equal("dkim.body-hash-mismatch", dkim.Reason);
        Assert.Contains(checks.Findings, f => f.Code == "dkim.body-hash-mismatch" && f.Severity == FindingSeverity.Error);
    }

    [Fact]
    public async Task A_changed_signed_header_fails_the_header_signature_while_the_body_hash_still_matches()
    {
        using var zone = new DnsZoneFile(Rsa2048.ZoneLine("s1", "shop.example"));
        var raw = DkimKeys.Replace(DkimKeys.Bytes(Signed(Rsa2048)), "Subject: Your order", "Subject: Your Order");

        var checks = await Checks.RunAsync(raw, zone.Resolver);

        var dkim = Assert.Single(checks.Dkim);
        Assert.Equal("fail", dkim.Result);
        Assert.Equal("dkim.signature-mismatch", dkim.Reason);
        Assert.True(dkim.BodyHashMatches);
    }

    [Fact]
    public async Task Without_a_published_key_the_signature_is_not_verifiable_no_key()
    {
        using var zone = new DnsZoneFile("other._domainkey.shop.example TXT \"v=DKIM1; p=\"\n");

        var checks = await Checks.RunAsync(Signed(Rsa2048), zone.Resolver);

        Assert.Equal("permerror", Assert.Single(checks.Dkim).Result);
        var finding = Assert.Single(checks.Findings, f => f.Code == "dkim.no-key");
        Assert.Contains("s1._domainkey.shop.example", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_p_tag_is_a_revoked_key()
    {
        using var zone = new DnsZoneFile("s1._domainkey.shop.example TXT \"v=DKIM1; k=rsa; p=\"\n");

        var checks = await Checks.RunAsync(Signed(Rsa2048), zone.Resolver);

        Assert.Equal("dkim.key-revoked", Assert.Single(checks.Dkim).Reason);
    }

    [Fact]
    public async Task With_DNS_off_and_no_overrides_file_a_signature_is_not_evaluated_and_never_passes()
    {
        var checks = await Checks.RunAsync(Signed(Rsa2048));

        var dkim = Assert.Single(checks.Dkim);
        Assert.Equal("not-evaluated", dkim.Result);
        Assert.True(dkim.BodyHashMatches);
        Assert.DoesNotContain(checks.Findings, f => f.Area == FindingArea.Dkim && f.Severity == FindingSeverity.Pass);
        Assert.Contains("dkim=none (not evaluated", checks.AuthenticationResults, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signature_whose_x_tag_is_in_the_past_is_expired()
    {
        using var zone = new DnsZoneFile(Rsa2048.ZoneLine("s1", "shop.example"));
        var later = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(2));

        var checks = await Checks.RunAsync(DkimKeys.Bytes(Signed(Rsa2048, expireAfter: TimeSpan.FromHours(1))), zone.Resolver, time: later);

        var dkim = Assert.Single(checks.Dkim);
        Assert.Equal("dkim.expired", dkim.Reason);
        Assert.NotNull(dkim.ExpiresAt);
    }

    [Fact]
    public async Task The_same_signature_before_its_x_tag_passes()
    {
        using var zone = new DnsZoneFile(Rsa2048.ZoneLine("s1", "shop.example"));

        var checks = await Checks.RunAsync(DkimKeys.Bytes(Signed(Rsa2048, expireAfter: TimeSpan.FromHours(1))), zone.Resolver);

        Assert.Equal("pass", Assert.Single(checks.Dkim).Result);
    }

    [Fact]
    public async Task An_l_tag_is_flagged_as_a_partial_body_signature()
    {
        var raw = DkimKeys.Bytes(Checks.NewMessage());
        var header = "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.test; s=s1; l=10; h=from:subject; bh=AAAA; b=AAAA\r\n"u8.ToArray();

        var checks = await Checks.RunAsync([.. header, .. raw]);

        Assert.Equal(10, Assert.Single(checks.Dkim).BodyLength);
        Assert.Contains(checks.Findings, f => f.Code == "dkim.body-length" && f.Severity == FindingSeverity.Warning);
    }

    [Fact]
    public async Task An_i_tag_outside_the_d_domain_is_rejected()
    {
        var raw = DkimKeys.Bytes(Checks.NewMessage());
        var header = "DKIM-Signature: v=1; a=rsa-sha256; d=example.test; i=@other.example; s=s1; h=from; bh=AAAA; b=AAAA\r\n"u8.ToArray();

        var checks = await Checks.RunAsync([.. header, .. raw]);

        Assert.Equal("dkim.identity-mismatch", Assert.Single(checks.Dkim).Reason);
    }

    [Fact]
    public async Task A_1024_bit_key_passes_with_a_warning_and_rsa_sha1_is_an_error()
    {
        var rsa1024 = DkimKeys.Rsa(1024);
        using var zone = new DnsZoneFile(rsa1024.ZoneLine("old", "shop.example"));

        var checks = await Checks.RunAsync(Signed(rsa1024, selector: "old", algorithm: DkimSignatureAlgorithm.RsaSha1), zone.Resolver);

        var dkim = Assert.Single(checks.Dkim);
        Assert.Equal("pass", dkim.Result);
        Assert.Equal(1024, dkim.KeyBits);
        Assert.Contains(checks.Findings, f => f.Code == "dkim.key-short" && f.Severity == FindingSeverity.Warning);
        Assert.Contains(checks.Findings, f => f.Code == "dkim.rsa-sha1" && f.Severity == FindingSeverity.Error);
    }

    [Fact]
    public async Task An_ed25519_signature_verifies_with_its_key_from_the_overrides_file()
    {
        var ed = DkimKeys.Ed25519();
        using var zone = new DnsZoneFile(ed.ZoneLine("ed", "shop.example"));

        var checks = await Checks.RunAsync(Signed(ed, selector: "ed", algorithm: DkimSignatureAlgorithm.Ed25519Sha256), zone.Resolver);

        var dkim = Assert.Single(checks.Dkim);
        Assert.Equal("ed25519-sha256", dkim.Algorithm);
        Assert.Equal("pass", dkim.Result);
    }

    [Fact]
    public async Task A_message_without_a_signature_gets_a_warning_and_dkim_none()
    {
        var checks = await Checks.RunAsync(Checks.NewMessage());

        Assert.Empty(checks.Dkim);
        Assert.Contains(checks.Findings, f => f.Code == "dkim.unsigned");
        Assert.Contains("dkim=none", checks.AuthenticationResults, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_real_Gmail_signed_message_verifies_with_the_key_Gmail_published_for_its_selector()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "TestData", "dkim-mimekit");
        var pem = await File.ReadAllLinesAsync(Path.Combine(folder, "gmail.pub"));
        var key = string.Concat(pem.Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));
        using var zone = new DnsZoneFile($"20120113._domainkey.gmail.com TXT \"v=DKIM1; k=rsa; p={key}\"\n");
        var raw = Mime.Corpus.ToCrlf(await File.ReadAllTextAsync(Path.Combine(folder, "gmail.msg")));

        var checks = await Checks.RunAsync(raw, zone.Resolver, time: new FakeTimeProvider(new DateTimeOffset(2015, 6, 11, 2, 5, 37, TimeSpan.Zero)));
        var tampered = await Checks.RunAsync(DkimKeys.Replace(raw, "This is the message body.", "This is the message body!"), zone.Resolver);

        var dkim = Assert.Single(checks.Dkim);
        Assert.Equal(("pass", "gmail.com", 2048), (dkim.Result, dkim.Domain, dkim.KeyBits));
        Assert.Equal("dkim.body-hash-mismatch", Assert.Single(tampered.Dkim).Reason);
    }
}
