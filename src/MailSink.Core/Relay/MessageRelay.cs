using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MailSink.Options;
using MimeKit;

namespace MailSink.Relay;

/// <summary>
/// Sends a caught message, as it was received, to a relay with MailKit. Called only from an explicit release
/// request: nothing here runs on ingest, and the recipients always come from the request, never from the message.
/// </summary>
internal sealed partial class MessageRelay(ServerIdentity identity, ILogger<MessageRelay> logger)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    public async Task<RelayResult> SendAsync(RelayTarget target, string sender, IReadOnlyList<string> recipients, byte[] raw, CancellationToken cancellationToken)
    {
        // MimeKit keeps a parsed message's header and body bytes as they were, and UnchangedSmtpClient turns off
        // the re-encoding MailKit would otherwise do, so the relay gets the original bytes (MailKit never sends
        // Bcc and Resent-Bcc headers, which is what a relay should get anyway).
        using var stream = new MemoryStream(raw, writable: false);
        var message = await MimeMessage.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
        var from = new MailboxAddress("", sender.Length > 0 ? sender : $"mailsink@{identity.Hostname}");
        var to = recipients.Select(r => new MailboxAddress("", r)).ToList();

        using var client = new UnchangedSmtpClient { LocalDomain = identity.Hostname, Timeout = (int)CommandTimeout.TotalMilliseconds };
        if (target.AllowInsecure)
        {
            // Relay:AllowInsecure (or the request's) is the user's explicit choice for a test server with a
            // self-signed certificate, as Mailpit's --smtp-relay-allow-insecure.
#pragma warning disable CA5359
            client.ServerCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
            client.CheckCertificateRevocation = false;
        }

        await ConnectAsync(client, target, cancellationToken).ConfigureAwait(false);
        await AuthenticateAsync(client, target, cancellationToken).ConfigureAwait(false);
        string reply;
        try
        {
            reply = await client.SendAsync(FormatOptions.Default, message, from, to, cancellationToken).ConfigureAwait(false);
        }
        catch (SmtpCommandException ex)
        {
            var (stage, what) = ex.ErrorCode switch
            {
                SmtpErrorCode.SenderNotAccepted => (RelayStage.Sender, $"the sender <{from.Address}>"),
                SmtpErrorCode.RecipientNotAccepted => (RelayStage.Recipient, $"the recipient <{ex.Mailbox?.Address}>"),
                _ => (RelayStage.Data, "the message"),
            };
            throw new RelayException(stage, target, $"{target.Address} refused {what}: {(int)ex.StatusCode} {ex.Message.Trim()}", (int)ex.StatusCode, ex);
        }
        catch (Exception ex) when (ex is SmtpProtocolException or IOException or SocketException)
        {
            throw new RelayException(RelayStage.Data, target, $"The connection to {target.Address} failed while sending: {ex.Message}", null, ex);
        }

        try
        {
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SmtpProtocolException or IOException or SocketException or SmtpCommandException)
        {
            // The relay took the message (it answered the end of DATA); a failed QUIT does not undo that.
            Log.QuitFailed(logger, target.Address, ex.Message);
        }

        Log.Released(logger, message.MessageId ?? "", target.Address, recipients.Count);
        return new RelayResult(target.Address, from.Address, recipients, reply);
    }

    private static async Task ConnectAsync(SmtpClient client, RelayTarget target, CancellationToken cancellationToken)
    {
        var socketOptions = target.Tls switch
        {
            RelayTls.StartTls => SecureSocketOptions.StartTls,
            RelayTls.Implicit => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.None,
        };
        try
        {
            await client.ConnectAsync(target.Host, target.Port, socketOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            var why = ex.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "refused the connection",
                SocketError.HostNotFound or SocketError.NoData => "is not a known host",
                SocketError.TimedOut => "did not answer in time",
                _ => $"could not be reached ({ex.SocketErrorCode})",
            };
            throw new RelayException(RelayStage.Connect, target, $"{target.Address} {why}.", null, ex);
        }
        catch (SslHandshakeException ex)
        {
            throw new RelayException(RelayStage.Tls, target, $"The TLS handshake with {target.Address} failed: {FirstLine(ex.Message)}", null, ex);
        }
        catch (NotSupportedException ex)
        {
            // MailKit: STARTTLS was required and the relay does not offer it.
            throw new RelayException(RelayStage.Tls, target, $"{target.Address} does not offer STARTTLS ({ex.Message}).", null, ex);
        }
        catch (Exception ex) when (ex is SmtpProtocolException or SmtpCommandException or IOException)
        {
            throw new RelayException(RelayStage.Connect, target, $"{target.Address} did not greet as an SMTP server: {ex.Message}", null, ex);
        }
    }

    private static async Task AuthenticateAsync(SmtpClient client, RelayTarget target, CancellationToken cancellationToken)
    {
        if (target.Auth == RelayAuth.None)
        {
            return;
        }

        var credentials = new NetworkCredential(target.Username, target.Password);
        SaslMechanism mechanism = target.Auth switch
        {
            RelayAuth.Plain => new SaslMechanismPlain(credentials),
            RelayAuth.Login => new SaslMechanismLogin(credentials),
            _ => new SaslMechanismCramMd5(credentials),
        };
        try
        {
            await client.AuthenticateAsync(mechanism, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException ex)
        {
            throw new RelayException(RelayStage.Authentication, target, $"{target.Address} refused {mechanism.MechanismName} authentication as '{target.Username}': {ex.Message}", 535, ex);
        }
        catch (Exception ex) when (ex is SmtpCommandException or NotSupportedException)
        {
            var code = ex is SmtpCommandException command ? (int?)command.StatusCode : null;
            throw new RelayException(RelayStage.Authentication, target, $"{target.Address} did not accept {mechanism.MechanismName} authentication: {ex.Message}", code, ex);
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    /// <summary>MailKit's client without its re-encoding step, so the message goes out as it was received.</summary>
    private sealed class UnchangedSmtpClient : SmtpClient
    {
        protected override void Prepare(FormatOptions options, MimeMessage message, EncodingConstraint constraint, int maxLineLength)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(8101, LogLevel.Information, "Released message {MessageId} to {Server} for {Count} recipient(s)")]
        public static partial void Released(ILogger logger, string messageId, string server, int count);

        [LoggerMessage(8102, LogLevel.Debug, "QUIT to {Server} failed after the message was accepted: {Reason}")]
        public static partial void QuitFailed(ILogger logger, string server, string reason);
    }
}
