using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Faults;

/// <summary>Each preset gives its exact reply, and MailKit surfaces it as a real application would see it.</summary>
public sealed class FaultPresetTests(FaultsApp app) : IClassFixture<FaultsApp>
{
    [Theory]
    [InlineData("user-unknown", 550, "5.1.1 User unknown: no such mailbox")]
    [InlineData("blocked", 550, "5.7.1 Message refused by policy: sender blocked")]
    [InlineData("mailbox-full", 452, "4.2.2 Mailbox full, try again later")]
    [InlineData("mailbox-full-permanent", 552, "5.2.2 Mailbox full: over quota")]
    [InlineData("too-many-recipients", 452, "4.5.3 Too many recipients")]
    [InlineData("message-too-big", 552, "5.3.4 Message size exceeds fixed maximum message size")]
    [InlineData("service-unavailable", 421, "4.3.2 Service not available, closing transmission channel")]
    public async Task A_reply_preset_gives_its_exact_reply_and_MailKit_throws_SmtpCommandException_with_its_status_code(string preset, int code, string text)
    {
        await app.ClearRulesAsync();
        await app.AddRuleAsync(new { Preset = preset });

        var ex = await Assert.ThrowsAsync<SmtpCommandException>(async () =>
        {
            using var client = SmtpSending.NewClient();
            await client.ConnectAsync("127.0.0.1", app.SmtpPort, SecureSocketOptions.None);
            await client.SendAsync(SmtpSending.NewMessage(preset));
        });

        Assert.Equal(code, (int)ex.StatusCode);
        Assert.Equal(text, ex.Message);
        await app.ClearRulesAsync();
        await SmtpSending.SendOneAsync(app.SmtpPort, SmtpSending.NewMessage("after " + preset));
    }

    [Fact]
    public async Task Tls_required_answers_530_5_7_0_which_MailKit_reports_as_not_authenticated()
    {
        await app.ClearRulesAsync();
        await app.AddRuleAsync(new { Preset = "tls-required" });

        // MailKit maps 530 at MAIL FROM to ServiceNotAuthenticatedException, carrying the server's text.
        var ex = await Assert.ThrowsAsync<ServiceNotAuthenticatedException>(() => SmtpSending.SendOneAsync(app.SmtpPort, SmtpSending.NewMessage("tls")));
        Assert.Equal("5.7.0 Must issue a STARTTLS command first", ex.Message);
    }

    [Fact]
    public async Task Auth_failed_answers_535_5_7_8_and_MailKit_refuses_to_authenticate()
    {
        await app.ClearRulesAsync();
        await app.AddRuleAsync(new { Preset = "auth-failed", Match = new { AuthUser = "mallory" } });
        using var client = SmtpSending.NewClient();
        await client.ConnectAsync("127.0.0.1", app.SmtpPort, SecureSocketOptions.None);

        var ex = await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync("mallory", "secret"));
        Assert.Contains("5.7.8 Authentication credentials invalid", ex.Message, StringComparison.Ordinal);

        // Another user is not matched and gets in.
        await client.AuthenticateAsync("alice", "secret");
        await client.DisconnectAsync(quit: true);
    }

    [Fact]
    public async Task Rate_limit_trips_at_the_message_after_the_limit_with_421_4_7_0_and_accepts_again_a_minute_later()
    {
        await app.ClearRulesAsync();
        await app.AddRuleAsync(new { Preset = "rate-limit", Action = new { Limit = 3 } });

        for (var i = 1; i <= 3; i++)
        {
            await SmtpSending.SendOneAsync(app.SmtpPort, SmtpSending.NewMessage($"rate {i}"));
        }

        var ex = await Assert.ThrowsAsync<SmtpCommandException>(() => SmtpSending.SendOneAsync(app.SmtpPort, SmtpSending.NewMessage("rate 4")));
        Assert.Equal(SmtpStatusCode.ServiceNotAvailable, ex.StatusCode);
        Assert.Equal("4.7.0 Too many messages from your address, slow down", ex.Message);

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await SmtpSending.SendOneAsync(app.SmtpPort, SmtpSending.NewMessage("rate 5"));
    }

    [Fact]
    public async Task Timeout_sends_no_final_reply_until_the_client_gives_up_and_stores_nothing()
    {
        await app.ClearRulesAsync();
        var id = (await app.AddRuleAsync(new { Preset = "timeout" }))["ID"]!.GetValue<string>();
        using var client = SmtpSending.NewClient();
        client.Timeout = 1500;
        await client.ConnectAsync("127.0.0.1", app.SmtpPort, SecureSocketOptions.None);

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => client.SendAsync(SmtpSending.NewMessage("never answered")));
        Assert.IsNotType<SmtpCommandException>(ex);
        client.Dispose();

        var session = await app.WaitForListedSessionAsync(s => s["Faults"]!.AsArray().Any(f => f!.GetValue<string>() == id), "the held session");
        Assert.Empty(session["MessageIDs"]!.AsArray());
        Assert.Equal("closed-by-fault", session["Outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task Disconnect_in_data_closes_after_the_content_without_a_reply_and_stores_nothing()
    {
        await app.ClearRulesAsync();
        var id = (await app.AddRuleAsync(new { Preset = "disconnect-in-data" }))["ID"]!.GetValue<string>();
        using var client = SmtpSending.NewClient();
        await client.ConnectAsync("127.0.0.1", app.SmtpPort, SecureSocketOptions.None);

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => client.SendAsync(SmtpSending.NewMessage("cut off")));
        Assert.True(ex is ServiceNotConnectedException or SmtpProtocolException or IOException, ex.ToString());

        var session = await app.WaitForListedSessionAsync(s => s["Faults"]!.AsArray().Any(f => f!.GetValue<string>() == id), "the cut session");
        Assert.Empty(session["MessageIDs"]!.AsArray());
        Assert.Equal("closed-by-fault", session["Outcome"]!.GetValue<string>());
    }
}
