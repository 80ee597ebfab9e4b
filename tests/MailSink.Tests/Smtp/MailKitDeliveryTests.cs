using System.Net.Security;
using System.Security.Authentication;
using System.Text.Json.Nodes;
using MailKit.Net.Smtp;
using MailKit.Security;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Smtp;

/// <summary>MailKit's SmtpClient against each listener; every accepted message is read back through the API.</summary>
public sealed class MailKitDeliveryTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    [Fact]
    public async Task Plain_smtp_message_is_stored_with_its_envelope_and_no_tls()
    {
        var message = SmtpSending.NewMessage("plain smtp", from: "alice@example.test", to: "bob@example.test");
        using var client = await SmtpSending.ConnectAsync(app.SmtpPort, SecureSocketOptions.None);
        Assert.False(client.IsSecure);
        var id = SmtpSending.QueuedId(await client.SendAsync(message));
        await client.DisconnectAsync(quit: true);

        var stored = await app.GetMessageAsync(id);
        Assert.Equal(id, stored["ID"]!.GetValue<string>());
        Assert.Equal("plain smtp", stored["Subject"]!.GetValue<string>());
        var envelope = stored["Envelope"]!;
        Assert.Equal("alice@example.test", envelope["MailFrom"]!.GetValue<string>());
        Assert.Equal(["bob@example.test"], envelope["RcptTo"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("smtp", envelope["Listener"]!.GetValue<string>());
        Assert.Null(envelope["Tls"]);
        Assert.Null(envelope["AuthUser"]);
        Assert.Equal("", stored["Username"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    public async Task Submission_with_starttls_and_auth_records_tls_and_user(string mechanism)
    {
        var user = $"user-{mechanism.ToLowerInvariant()}@example.test";
        var message = SmtpSending.NewMessage($"submission {mechanism}", from: "carol@example.test", to: "dave@example.test");
        using var client = await SmtpSending.ConnectAsync(app.SubmissionPort, SecureSocketOptions.StartTls);
        Assert.True(client.IsSecure);
        Assert.Contains(mechanism, client.AuthenticationMechanisms);
        client.AuthenticationMechanisms.RemoveWhere(m => m != mechanism);
        await client.AuthenticateAsync(user, "s3cret-password");
        var id = SmtpSending.QueuedId(await client.SendAsync(message));
        var (protocol, cipher) = (client.SslProtocol, client.SslCipherSuite);
        await client.DisconnectAsync(quit: true);

        var stored = await app.GetMessageAsync(id);
        AssertTls(stored["Envelope"]!["Tls"], protocol, cipher);
        Assert.Equal("carol@example.test", stored["Envelope"]!["MailFrom"]!.GetValue<string>());
        Assert.Equal(["dave@example.test"], stored["Envelope"]!["RcptTo"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("submission", stored["Envelope"]!["Listener"]!.GetValue<string>());
        Assert.Equal(user, stored["Envelope"]!["AuthUser"]!.GetValue<string>());
        Assert.Equal(user, stored["Username"]!.GetValue<string>());
    }

    [Fact]
    public async Task Smtps_uses_tls_from_the_first_byte()
    {
        var message = SmtpSending.NewMessage("implicit tls", from: "erin@example.test", to: "frank@example.test");
        using var client = await SmtpSending.ConnectAsync(app.SmtpsPort, SecureSocketOptions.SslOnConnect);
        Assert.True(client.IsSecure);
        await client.AuthenticateAsync("smtps-user", "pw");
        var id = SmtpSending.QueuedId(await client.SendAsync(message));
        var (protocol, cipher) = (client.SslProtocol, client.SslCipherSuite);
        await client.DisconnectAsync(quit: true);

        var stored = await app.GetMessageAsync(id);
        AssertTls(stored["Envelope"]!["Tls"], protocol, cipher);
        Assert.Equal("smtps", stored["Envelope"]!["Listener"]!.GetValue<string>());
        Assert.Equal("erin@example.test", stored["Envelope"]!["MailFrom"]!.GetValue<string>());
        Assert.Equal("smtps-user", stored["Username"]!.GetValue<string>());
    }

    [Fact]
    public async Task Submission_does_not_offer_auth_before_starttls()
    {
        using (var client = await SmtpSending.ConnectAsync(app.SubmissionPort, SecureSocketOptions.None))
        {
            Assert.False(client.IsSecure);
            Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.StartTLS));
            Assert.False(client.Capabilities.HasFlag(SmtpCapabilities.Authentication), "AUTH must not be advertised on submission before STARTTLS");
            Assert.Empty(client.AuthenticationMechanisms);
            await client.DisconnectAsync(quit: true);
        }

        // A client that tries anyway is refused with a permanent error.
        await using var raw = await RawSmtpClient.ConnectAndEhloAsync(app.SubmissionPort);
        var reply = await raw.CommandAsync("AUTH PLAIN " + Convert.ToBase64String("\0user\0password"u8.ToArray()));
        Assert.InRange(reply.Code, 500, 599);
        var mail = await raw.CommandAsync("MAIL FROM:<x@example.test>");
        Assert.Equal(250, mail.Code);
    }

    private static void AssertTls(JsonNode? tls, SslProtocols clientProtocol, TlsCipherSuite? clientCipher)
    {
        Assert.NotNull(tls);
        var protocol = tls["Protocol"]!.GetValue<string>();
        Assert.Contains(protocol, new[] { "TLSv1.2", "TLSv1.3" });
        Assert.Equal(clientProtocol == SslProtocols.Tls13 ? "TLSv1.3" : "TLSv1.2", protocol);
        Assert.Equal(clientCipher?.ToString(), tls["CipherSuite"]!.GetValue<string>());
    }
}
