using MailSink.TestShared;
using MimeKit;

namespace MailSink.EndToEnd.Browser.Infrastructure;

/// <summary>What the server said to DATA, and when the client had the reply in hand.</summary>
internal sealed record SmtpDelivery(string Reply, string MessageId, DateTimeOffset RepliedAt, DateTimeOffset SendStartedAt);

/// <summary>Sends over real SMTP with MailKit, one connection per message, and reads the id from "queued as".</summary>
internal static class SmtpSender
{
    public static async Task<SmtpDelivery> SendAsync(int port, MimeMessage message, CancellationToken cancellationToken = default)
    {
        // Connected first, so the latency measured is the message's alone (from its MAIL FROM to the 250).
        using var client = await MailKitSmtp.ConnectAsync(port, cancellationToken: cancellationToken);
        var started = DateTimeOffset.UtcNow;
        var reply = await client.SendAsync(message, cancellationToken);
        var replied = DateTimeOffset.UtcNow;
        await client.DisconnectAsync(quit: true, cancellationToken);
        return new SmtpDelivery(reply, MailKitSmtp.QueuedId(reply), replied, started);
    }

    public static async Task<SmtpDelivery> SendAsync(int port, string rawMessage, CancellationToken cancellationToken = default) =>
        await SendAsync(port, await MimeMessage.LoadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(rawMessage.ReplaceLineEndings("\r\n"))), cancellationToken), cancellationToken);

    public static MimeMessage Simple(string subject, string? html = null, string text = "Hello from the end-to-end tests.")
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("App Under Test", "app@example.com"));
        message.To.Add(new MailboxAddress("Dev", "dev@example.com"));
        message.Subject = subject;
        var body = new BodyBuilder { TextBody = text };
        if (html is not null)
        {
            body.HtmlBody = html;
        }

        message.Body = body.ToMessageBody();
        return message;
    }
}
