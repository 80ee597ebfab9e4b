using MailKit.Net.Smtp;
using MailKit.Security;
using MailSink.TestShared;
using MimeKit;

namespace MailSink.Tests.TestHost;

/// <summary>MailKit helpers for the fixtures: the shared <see cref="MailKitSmtp"/> with this project's defaults.</summary>
public static class SmtpSending
{
    /// <summary>The message ID in "250 2.0.0 Ok: queued as &lt;ID&gt;" (MailKit returns the final reply text).</summary>
    public static string QueuedId(string finalReply) => MailKitSmtp.QueuedId(finalReply);

    /// <summary>A client that accepts MailSink's self-signed certificate.</summary>
    public static SmtpClient NewClient() => MailKitSmtp.NewClient();

    public static Task<SmtpClient> ConnectAsync(int port, SecureSocketOptions security) => MailKitSmtp.ConnectAsync(port, security);

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
    public static async Task<string> SendOneAsync(int port, MimeMessage message, SecureSocketOptions security = SecureSocketOptions.None) =>
        QueuedId(await MailKitSmtp.SendAsync(port, message, security));
}
