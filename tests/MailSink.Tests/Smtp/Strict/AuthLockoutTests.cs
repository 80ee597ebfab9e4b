using System.Net;
using MailKit.Net.Smtp;
using MailKit.Security;
using MailSink.Tests.TestHost;
using static MailSink.Tests.Smtp.Strict.StrictSteps;

namespace MailSink.Tests.Smtp.Strict;

/// <summary>
/// The credential-stuffing defence: after Smtp:AuthFailureLimit wrong credentials from one address within
/// Smtp:AuthFailureWindow, AUTH from it gets 421 4.7.0 and the connection closes, until the window has passed
/// (driven by a fake clock, not a sleep). Other addresses are not affected.
/// </summary>
public sealed class AuthLockoutTests(StrictApp app) : IClassFixture<StrictApp>
{
    private static readonly string Right = $"AUTH PLAIN {B64($"\0{StrictApp.Ann}\0{StrictApp.AnnPassword}")}";
    private static readonly string Wrong = $"AUTH PLAIN {B64($"\0{StrictApp.Ann}\0guess")}";

    [Fact]
    public async Task Wrong_credentials_lock_the_address_out_with_421_4_7_0_until_the_window_has_passed()
    {
        var attacker = FreshAddress();
        await using (var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort, from: attacker))
        {
            // The limit is reached on one connection or across several: here, one.
            await RunAsync(client, "failures up to the limit", Enumerable.Repeat($"{Wrong} => 535 5.7.8", StrictApp.FailureLimit));

            var locked = await client.CommandAsync(Right);
            Assert.Equal((421, "4.7.0"), (locked.Code, locked.Lines[0][..5]));
            Assert.True(await client.IsClosedByServerAsync(), "421 must close the connection (RFC 5321 section 3.8)");
        }

        // A new connection a little before the window ends is still refused, even with the right password.
        app.Clock.Advance(StrictApp.FailureWindow - TimeSpan.FromSeconds(1));
        await using (var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort, from: attacker))
        {
            Assert.Equal(421, (await client.CommandAsync(Right)).Code);
        }

        // Another address was never locked out.
        await using (var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort, from: FreshAddress()))
        {
            Assert.Equal(235, (await client.CommandAsync(Right)).Code);
        }

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await using (var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort, from: attacker))
        {
            await RunAsync(client, "after the window", [$"{Right} => 235 2.7.0", "MAIL FROM:<back@example.test> => 250 2.1.0"]);
        }
    }

    [Fact]
    public async Task MailKit_sees_535_until_the_limit_then_421_and_recovers_after_the_window()
    {
        var attacker = FreshAddress();
        for (var i = 0; i < StrictApp.FailureLimit; i++)
        {
            using var client = await ConnectFromAsync(attacker);
            var error = await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(StrictApp.Ann, $"guess-{i}"));
            Assert.StartsWith("535: 5.7.8 ", error.Message, StringComparison.Ordinal);
        }

        using (var client = await ConnectFromAsync(attacker))
        {
            // MailKit wraps the 421 in an AuthenticationException whose inner exception carries the status code.
            var locked = await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(StrictApp.Ann, StrictApp.AnnPassword));
            var reply = Assert.IsType<SmtpCommandException>(locked.InnerException);
            Assert.Equal(SmtpStatusCode.ServiceNotAvailable, reply.StatusCode);
            Assert.StartsWith("4.7.0 ", reply.Message, StringComparison.Ordinal);
        }

        app.Clock.Advance(StrictApp.FailureWindow);
        using (var client = await ConnectFromAsync(attacker))
        {
            await client.AuthenticateAsync(StrictApp.Ann, StrictApp.AnnPassword);
            Assert.True(client.IsAuthenticated);
        }
    }

    private async Task<SmtpClient> ConnectFromAsync(IPAddress from)
    {
        var client = SmtpSending.NewClient();
        client.LocalEndPoint = new IPEndPoint(from, 0);
        await client.ConnectAsync("127.0.0.1", app.SmtpPort, SecureSocketOptions.None);
        client.AuthenticationMechanisms.RemoveWhere(m => m != "PLAIN");
        return client;
    }
}
