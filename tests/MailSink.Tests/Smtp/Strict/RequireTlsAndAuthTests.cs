using MailKit;
using MailKit.Security;
using MailSink.Tests.TestHost;
using static MailSink.Tests.Smtp.Strict.StrictSteps;

namespace MailSink.Tests.Smtp.Strict;

/// <summary>
/// Smtp:&lt;listener&gt;:RequireTls (RFC 3207 section 4) and RequireAuth (RFC 4954 section 6): what is refused before
/// STARTTLS or AUTH, with 530 5.7.0, and that the same client gets through once it did what was asked.
/// </summary>
public sealed class RequireTlsAndAuthTests(StrictApp app) : IClassFixture<StrictApp>
{
    [Fact]
    public async Task Mail_before_auth_gets_530_5_7_0_authentication_required_and_after_auth_250()
    {
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort, from: FreshAddress());

        var refused = await client.CommandAsync("MAIL FROM:<early@example.test>");
        Assert.Equal("530 5.7.0 Authentication required", $"{refused.Code} {refused.Lines[0]}");

        // The refusal kept the conversation in step: RCPT has no transaction, and the next commands are answered in order.
        await RunAsync(client, "then AUTH", [
            "RCPT TO:<r@example.test> => 503 5.5.1",
            $"AUTH PLAIN {B64($"\0{StrictApp.Ann}\0{StrictApp.AnnPassword}")} => 235 2.7.0",
            "MAIL FROM:<late@example.test> => 250 2.1.0",
            "RCPT TO:<r@example.test> => 250 2.1.5",
        ]);
    }

    [Fact]
    public async Task Mail_refused_for_want_of_auth_does_not_count_as_a_failed_auth_attempt()
    {
        var helo = $"count-{Guid.NewGuid():N}.test";
        await using (var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort, helo, FreshAddress()))
        {
            await RunAsync(client, "one wrong AUTH, then MAIL twice", [
                $"AUTH PLAIN {B64($"\0{StrictApp.Ann}\0wrong")} => 535 5.7.8",
                "MAIL FROM:<a@example.test> => 530 5.7.0",
                "MAIL FROM:<a@example.test> => 530 5.7.0",
                "QUIT => 221",
            ]);
        }

        var session = await app.WaitForListedSessionAsync(s => s["Helo"]?.GetValue<string>() == helo && s["Outcome"]!.GetValue<string>() != "open", "the session");
        Assert.Equal(1, session["FailedAuthAttempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task MailKit_sending_without_auth_gets_530_authentication_required()
    {
        using var client = await SmtpSending.ConnectAsync(app.SmtpPort, SecureSocketOptions.None);

        // MailKit turns a 530 to MAIL into ServiceNotAuthenticatedException.
        var error = await Assert.ThrowsAsync<ServiceNotAuthenticatedException>(() => client.SendAsync(SmtpSending.NewMessage("no auth")));

        Assert.Equal("5.7.0 Authentication required", error.Message);
    }

    [Fact]
    public async Task Mail_and_auth_before_starttls_get_530_5_7_0_and_auth_is_not_advertised()
    {
        await using var client = await RawSmtpClient.ConnectAsync(app.SubmissionPort);
        Assert.Equal(220, (await client.ReadReplyAsync()).Code);
        var ehlo = await client.CommandAsync("EHLO client.test");
        Assert.Contains("STARTTLS", ehlo.Lines);
        Assert.DoesNotContain(ehlo.Lines, l => l.StartsWith("AUTH", StringComparison.Ordinal));

        foreach (var line in new[] { "MAIL FROM:<plain@example.test>", $"AUTH PLAIN {B64("\0ann\0ann-secret")}", "AUTH LOGIN" })
        {
            var reply = await client.CommandAsync(line);
            Assert.Equal("530 5.7.0 Must issue a STARTTLS command first", $"{reply.Code} {reply.Lines[0]}");
        }

        Assert.Equal(250, (await client.CommandAsync("NOOP")).Code);
    }

    [Fact]
    public async Task MailKit_without_starttls_gets_530_and_with_starttls_sends()
    {
        using (var plain = await SmtpSending.ConnectAsync(app.SubmissionPort, SecureSocketOptions.None))
        {
            var error = await Assert.ThrowsAsync<ServiceNotAuthenticatedException>(() => plain.SendAsync(SmtpSending.NewMessage("in the clear")));
            Assert.Equal("5.7.0 Must issue a STARTTLS command first", error.Message);
        }

        using var tls = await SmtpSending.ConnectAsync(app.SubmissionPort, SecureSocketOptions.StartTls);
        await tls.AuthenticateAsync(StrictApp.Ann, StrictApp.AnnPassword);
        var reply = await tls.SendAsync(SmtpSending.NewMessage("over tls"));
        await tls.DisconnectAsync(quit: true);

        var message = await app.WaitForMessageAsync(SmtpSending.QueuedId(reply));
        Assert.NotNull(message["Envelope"]!["Tls"]);
    }
}
