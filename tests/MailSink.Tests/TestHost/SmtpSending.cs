using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace MailSink.Tests.TestHost;

/// <summary>MailKit helpers: connect to a fixture listener and read the queued ID from the final reply.</summary>
public static partial class SmtpSending
{
    [GeneratedRegex(@"queued as (?<id>[0-9A-Z]{16})\b")]
    private static partial Regex QueuedAs();

    /// <summary>The message ID in "250 2.0.0 Ok: queued as &lt;ID&gt;" (MailKit returns the final reply text).</summary>
    public static string QueuedId(string finalReply)
    {
        var match = QueuedAs().Match(finalReply);
        Assert.True(match.Success, $"The final reply does not name a queued ID: '{finalReply}'");
        return match.Groups["id"].Value;
    }

    /// <summary>A client that accepts MailSink's self-signed certificate, with Nagle off.</summary>
    public static SmtpClient NewClient()
    {
        var client = new SmtpClient
        {
            // MailSink generates a self-signed certificate; this test trusts it on purpose.
            ServerCertificateValidationCallback = (_, _, _, _) => true,
            CheckCertificateRevocation = false,
            Timeout = 30_000,
        };
        return client;
    }

    public static async Task<SmtpClient> ConnectAsync(int port, SecureSocketOptions security)
    {
        var client = NewClient();
        await client.ConnectAsync("127.0.0.1", port, security);
        return client;
    }

    public static MimeMessage NewMessage(string subject, string from = "sender@example.test", string to = "rcpt@example.test", string body = "Hello from a test.\r\n")
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("tests.mailsink");
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    /// <summary>Connects, sends one message, disconnects with QUIT; returns the queued ID.</summary>
    public static async Task<string> SendOneAsync(int port, MimeMessage message, SecureSocketOptions security = SecureSocketOptions.None)
    {
        using var client = await ConnectAsync(port, security);
        var reply = await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);
        return QueuedId(reply);
    }
}
