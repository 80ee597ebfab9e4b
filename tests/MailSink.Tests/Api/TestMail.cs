using MailKit.Net.Smtp;
using MailSink.TestShared;
using MimeKit;

namespace MailSink.Tests.Api;

/// <summary>Sends real mail over SMTP with MailKit, as an application under test would.</summary>
internal static class TestMail
{
    public static MimeMessage Create(string subject, string to = "bob@example.com", string body = "Hello") => new()
    {
        From = { new MailboxAddress("Alice", "alice@example.com") },
        To = { MailboxAddress.Parse(to) },
        Subject = subject,
        Body = new TextPart("plain") { Text = body },
    };

    private const string LocalDomain = "test.example";

    public static Task SendAsync(int port, string subject, string to = "bob@example.com", CancellationToken cancellationToken = default) =>
        MailKitSmtp.SendAsync(port, Create(subject, to), localDomain: LocalDomain, cancellationToken: cancellationToken);

    public static Task<SmtpClient> ConnectAsync(int port, CancellationToken cancellationToken = default) =>
        MailKitSmtp.ConnectAsync(port, localDomain: LocalDomain, cancellationToken: cancellationToken);
}
