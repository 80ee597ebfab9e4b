using MailSink.TestShared;
using MimeKit;

namespace MailSink.Client.Tests;

/// <summary>What the application under test does: send mail over SMTP (MailKit).</summary>
internal static class Mail
{
    public static Task SendAsync(int port, MimeMessage message) => MailKitSmtp.SendAsync(port, message);

    public static MimeMessage Welcome(string to, string subject = "Welcome", string link = "https://app.example/confirm?token=abc&user=42")
    {
        var body = new BodyBuilder
        {
            TextBody = $"Confirm your address: {link}",
            HtmlBody = $"<p>Hi!</p><p><a href=\"{link.Replace("&", "&amp;", StringComparison.Ordinal)}\">Confirm</a> or <a href='https://app.example/help'>get help</a>.</p>",
        };
        body.Attachments.Add("terms.txt", "Terms and conditions"u8.ToArray(), new ContentType("text", "plain"));
        return new MimeMessage
        {
            From = { new MailboxAddress("App", "noreply@app.example") },
            To = { MailboxAddress.Parse(to) },
            Subject = subject,
            Body = body.ToMessageBody(),
        };
    }
}
