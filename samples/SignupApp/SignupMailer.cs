using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace SignupApp;

/// <summary>Sends the sign-up mail with its confirmation link.</summary>
public sealed class SignupMailer(SmtpSettings settings)
{
    public async Task SendWelcomeAsync(string email, Uri confirmLink, CancellationToken cancellationToken)
    {
        var message = new MimeMessage { Subject = "Confirm your sign-up" };
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(email));
        message.Body = new BodyBuilder
        {
            TextBody = $"Welcome! Confirm your address: {confirmLink}",
            HtmlBody = $"<p>Welcome!</p><p><a href=\"{confirmLink}\">Confirm your address</a></p>",
        }.ToMessageBody();

        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(settings.Host, settings.Port, SecureSocketOptions.None, cancellationToken);
        await smtp.SendAsync(message, cancellationToken);
        await smtp.DisconnectAsync(true, cancellationToken);
    }
}
