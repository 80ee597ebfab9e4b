using System.Net;
using System.Text.Json.Nodes;
using MailSink.Tests.Diagnostics;
using MailSink.Tests.TestHost;
using MimeKit;

namespace MailSink.Tests.Api;

/// <summary>
/// The "Done means": an app sends over SMTP with MAIL FROM at mailer.example, From at shop.example and a
/// DKIM signature d=mailer.example; keys and policies come from the overrides file. /checks says DKIM and SPF pass
/// and DMARC would fail, with the fix; the summary and list carry the counts.
/// </summary>
public sealed class ChecksApiTests : IAsyncLifetime
{
    private static readonly DkimKeys Keys = DkimKeys.Rsa(2048);
    private readonly DnsZoneFile _zone = new($"""
        # The app's domains, as a developer would describe them to MailSink.
        {Keys.ZoneLine("s1", "mailer.example")}
        mailer.example TXT "v=spf1 ip4:127.0.0.1 -all"
        _dmarc.shop.example TXT "v=DMARC1; p=reject"
        """);

    private MailSinkApp _app = null!;

    public async Task InitializeAsync() =>
        _app = await MailSinkApp.StartAsync(null, memory: true, settings: new Dictionary<string, string?> { ["Diagnostics:DnsOverrides"] = _zone.Path });

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _zone.Dispose();
    }

    private async Task<string> SendAsync()
    {
        var message = Checks.NewMessage(from: "news@shop.example", subject: "Your weekly deals");
        Keys.Signer("mailer.example", "s1").Sign(message, DkimKeys.SignedHeaders);
        using var client = await SmtpSending.ConnectAsync(_app.SmtpPort, MailKit.Security.SecureSocketOptions.None);
        var reply = await client.SendAsync(message, MailboxAddress.Parse("bounce@mailer.example"), [MailboxAddress.Parse("rcpt@example.test")]);
        await client.DisconnectAsync(quit: true);
        return SmtpSending.QueuedId(reply);
    }

    [Fact]
    public async Task A_message_signed_by_the_mailer_domain_passes_DKIM_and_SPF_but_DMARC_for_the_From_domain_would_fail_with_the_fix()
    {
        var id = await SendAsync();

        var checks = await _app.GetJsonAsync($"/api/v1/message/{id}/checks");

        var dkim = Assert.Single(checks["Dkim"]!.AsArray())!;
        Assert.Equal("pass", dkim["Result"]!.GetValue<string>());
        Assert.Equal("mailer.example", dkim["Domain"]!.GetValue<string>());

        Assert.Equal("mailer.example", checks["Spf"]!["Domain"]!.GetValue<string>());
        var spf = Assert.Single(checks["Spf"]!["Evaluations"]!.AsArray())!;
        Assert.Equal(("pass", "127.0.0.1"), (spf["Result"]!.GetValue<string>(), spf["Ip"]!.GetValue<string>()));

        var dmarc = checks["Dmarc"]!;
        Assert.Equal("fail", dmarc["Result"]!.GetValue<string>());
        Assert.Equal("DMARC would fail for shop.example (p=reject): From is aligned with neither DKIM (mailer.example) nor SPF (mailer.example)", dmarc["Verdict"]!.GetValue<string>());
        Assert.Contains("Sign with d=shop.example", dmarc["Fix"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Return-Path (MAIL FROM) under shop.example", dmarc["Fix"]!.GetValue<string>(), StringComparison.Ordinal);

        var findings = checks["Findings"]!.AsArray();
        var fail = Assert.Single(findings, f => f!["Code"]!.GetValue<string>() == "dmarc.fail")!;
        Assert.Equal(("error", "dmarc"), (fail["Severity"]!.GetValue<string>(), fail["Area"]!.GetValue<string>()));
        Assert.Equal("error", findings[0]!["Severity"]!.GetValue<string>());

        var results = checks["AuthenticationResults"]!.GetValue<string>();
        Assert.StartsWith($"Authentication-Results: {MailSinkApp.Hostname};", results, StringComparison.Ordinal);
        Assert.Contains("dkim=pass", results, StringComparison.Ordinal);
        Assert.Contains("spf=pass", results, StringComparison.Ordinal);
        Assert.Contains("dmarc=fail (p=reject) header.from=shop.example", results, StringComparison.Ordinal);

        Assert.True(checks["Counts"]!["Error"]!.GetValue<int>() >= 1);
    }

    [Fact]
    public async Task The_summary_and_the_list_carry_the_counts_of_the_stored_checks()
    {
        var id = await SendAsync();

        var checks = await _app.GetJsonAsync($"/api/v1/message/{id}/checks");
        var message = await _app.GetMessageAsync(id);
        var listed = (await _app.ListAllMessagesAsync()).Single(m => m["ID"]!.GetValue<string>() == id);

        Assert.Equal(checks["Counts"]!.ToJsonString(), message["Counts"]!.ToJsonString());
        Assert.Equal(checks["Counts"]!.ToJsonString(), listed["Counts"]!.ToJsonString());
        Assert.NotNull(message["Warnings"]);
    }

    [Fact]
    public async Task The_overrides_file_is_reloaded_when_it_changes()
    {
        await File.WriteAllTextAsync(_zone.Path, $"""
            {Keys.ZoneLine("s1", "mailer.example")}
            mailer.example TXT "v=spf1 ip4:127.0.0.1 -all"
            shop.example TXT "v=spf1 -all"
            _dmarc.shop.example TXT "v=DMARC1; p=none"
            """);
        File.SetLastWriteTimeUtc(_zone.Path, DateTime.UtcNow.AddSeconds(5));

        var id = await SendAsync();

        var dmarc = (await _app.GetJsonAsync($"/api/v1/message/{id}/checks"))["Dmarc"]!;
        Assert.Equal("none", dmarc["AppliedPolicy"]!.GetValue<string>());
    }

    [Fact]
    public async Task Checks_of_an_unknown_message_are_a_404_problem()
    {
        using var response = await _app.Http.GetAsync("/api/v1/message/NOSUCHMESSAGE000/checks");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_codes_table_explains_reply_and_enhanced_codes_with_a_fix()
    {
        var codes = (await _app.GetJsonAsync("/api/v1/codes")).AsArray();

        var noUser = Assert.Single(codes, c => c!["Code"]!.GetValue<string>() == "X.1.1")!;
        Assert.Equal("enhanced", noUser["Kind"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(noUser["Fix"]!.GetValue<string>()));
        Assert.Contains(codes, c => c!["Code"]!.GetValue<string>() == "550" && c["Rfc"]!.GetValue<string>().StartsWith("RFC 5321", StringComparison.Ordinal));
    }
}
