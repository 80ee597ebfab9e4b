using MailKit.Net.Smtp;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Smtp;

/// <summary>
/// The first hour (issue 14 section 1): clients configured exactly as the README and every app's development
/// settings show them deliver to port 1025's listener. Both used to fail, because they upgrade whenever
/// STARTTLS is offered and then reject the self-signed certificate.
/// </summary>
public sealed class DefaultClientSettingsTests(DefaultBindApp app) : IClassFixture<DefaultBindApp>
{
    [ToolFact("npm")]
    public async Task Nodemailer_with_the_READMEs_settings_delivers_to_the_plain_listener()
    {
        var subject = $"nodemailer {Guid.NewGuid():N}";
        var (exitCode, output) = await Nodemailer.SendAsync(new { host = "localhost", port = app.SmtpPort, secure = false }, subject);

        Assert.True(exitCode == 0, $"nodemailer failed ({exitCode}): {output}");
        var message = await app.GetMessageAsync(SmtpSending.QueuedId(output));
        Assert.Equal(subject, message["Subject"]!.GetValue<string>());
        Assert.Equal("smtp", message["Envelope"]!["Listener"]!.GetValue<string>());
        Assert.Null(message["Envelope"]!["Tls"]);
    }

    [Fact]
    public async Task MailKit_with_default_options_delivers_to_the_plain_listener()
    {
        // No certificate callback and SecureSocketOptions.Auto: what an app's sign-up code does.
        using var client = new SmtpClient();
        await client.ConnectAsync("localhost", app.SmtpPort);
        Assert.False(client.IsSecure);
        var reply = await client.SendAsync(SmtpSending.NewMessage("mailkit defaults"));
        await client.DisconnectAsync(quit: true);

        var message = await app.GetMessageAsync(SmtpSending.QueuedId(reply));
        Assert.Equal("mailkit defaults", message["Subject"]!.GetValue<string>());
        Assert.Null(message["Envelope"]!["Tls"]);
    }

    [Fact]
    public async Task Starttls_is_offered_on_the_smtp_listener_again_when_configured()
    {
        var withStartTls = await MailSinkApp.StartAsync(dataDirectory: null, memory: true, settings: new Dictionary<string, string?> { ["Smtp:Smtp:Tls"] = "StartTls" });
        try
        {
            await using var client = await RawSmtpClient.ConnectAsync(withStartTls.SmtpPort);
            await client.ReadReplyAsync();
            var ehlo = await client.CommandAsync("EHLO client.test");
            Assert.Contains("STARTTLS", ehlo.Lines);
        }
        finally
        {
            await withStartTls.DisposeAsync();
        }
    }
}
