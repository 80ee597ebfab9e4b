using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace MailSink.EndToEnd.Browser.Infrastructure;

/// <summary>What the server said to DATA, and when the client had the reply in hand.</summary>
internal sealed record SmtpDelivery(string Reply, string MessageId, DateTimeOffset RepliedAt, DateTimeOffset SendStartedAt);

/// <summary>Sends over real SMTP with MailKit, one connection per message, and reads the id from "queued as".</summary>
internal static partial class SmtpSender
{
    public static async Task<SmtpDelivery> SendAsync(int port, MimeMessage message, CancellationToken cancellationToken = default)
    {
        using var client = new SmtpClient { Timeout = 30_000 };
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None, cancellationToken);
        var started = DateTimeOffset.UtcNow;
        var reply = await client.SendAsync(message, cancellationToken);
        var replied = DateTimeOffset.UtcNow;
        await client.DisconnectAsync(quit: true, cancellationToken);

        var match = QueuedAs().Match(reply);
        Assert.True(match.Success, $"The reply to DATA does not say 'queued as <id>': {reply}");
        return new SmtpDelivery(reply, match.Groups["id"].Value, replied, started);
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

    [GeneratedRegex(@"queued as (?<id>[0-9A-Za-z]+)")]
    private static partial Regex QueuedAs();
}
