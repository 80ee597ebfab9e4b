using MailKit.Net.Smtp;
using MailKit.Security;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Faults;

/// <summary>
/// The starttls stage: a rule there answers STARTTLS instead of 220, no handshake starts, and the session goes on in
/// plain text (RFC 3207 section 4), on the submission listener that offers STARTTLS.
/// </summary>
public sealed class StartTlsFaultTests(FaultsApp app) : IClassFixture<FaultsApp>
{
    [Fact]
    public async Task Tls_unavailable_answers_starttls_with_454_4_7_0_and_the_session_goes_on_in_plain_text()
    {
        await app.ClearRulesAsync();
        var id = (await app.AddRuleAsync(new { Preset = "tls-unavailable" }))["ID"]!.GetValue<string>();
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SubmissionPort, helo: $"tls-{Guid.NewGuid():N}.test");

        var refused = await client.CommandAsync("STARTTLS");

        Assert.Equal("454 4.7.0 TLS not available due to temporary reason", $"{refused.Code} {refused.Lines[0]}");

        // Still plain text and in step: a handshake now would fail to parse as a reply.
        var ehlo = await client.CommandAsync("EHLO again.test");
        Assert.Equal(250, ehlo.Code);
        Assert.Contains("STARTTLS", ehlo.Lines);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<plain@example.test>")).Code);
        Assert.Equal(221, (await client.CommandAsync("QUIT")).Code);

        Assert.Equal(1, (await app.GetRuleAsync(id))["Fired"]!.GetValue<int>());
        var session = await app.WaitForListedSessionAsync(s => s["Faults"]!.AsArray().Any(f => f!.GetValue<string>() == id), "the session refused TLS");
        var lines = TlsSessions.Texts(await app.WaitForClosedSessionAsync(session["ID"]!.GetValue<string>()));
        Assert.Contains(lines, l => l.StartsWith($"Fault rule {id} (tls-unavailable) fired at starttls", StringComparison.Ordinal));
        Assert.True(lines.Contains("STARTTLS") && lines.Contains("454 4.7.0 TLS not available due to temporary reason"), string.Join("\n", lines));
        Assert.DoesNotContain(lines, l => l.StartsWith("TLS started", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MailKit_requiring_starttls_fails_with_454_and_without_the_rule_upgrades()
    {
        await app.ClearRulesAsync();
        await app.AddRuleAsync(new { Preset = "tls-unavailable", Match = new { Listener = "submission" } });

        using (var client = SmtpSending.NewClient())
        {
            var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.ConnectAsync("127.0.0.1", app.SubmissionPort, SecureSocketOptions.StartTls));
            Assert.Equal(454, (int)error.StatusCode);
            Assert.Equal("4.7.0 TLS not available due to temporary reason", error.Message);
        }

        await app.ClearRulesAsync();
        using var upgraded = await SmtpSending.ConnectAsync(app.SubmissionPort, SecureSocketOptions.StartTls);
        Assert.True(upgraded.IsSecure);
    }
}
