using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace MailSink.TestShared;

/// <summary>
/// The one MailKit sender of the test projects (this file is linked into each): what an application under test
/// does, one connection per message, and the ID MailSink names in its final reply ("250 2.0.0 Ok: queued as ID").
/// </summary>
internal static partial class MailKitSmtp
{
    [GeneratedRegex(@"queued as (?<id>[0-9A-Z]{16})\b")]
    private static partial Regex QueuedAs();

    /// <summary>A client that trusts MailSink's self-signed certificate (on purpose: it is the server under test).</summary>
    /// <param name="localDomain">The name sent in EHLO; MailKit's default (the machine's name) when null.</param>
    public static SmtpClient NewClient(string? localDomain = null)
    {
        var client = new SmtpClient
        {
            ServerCertificateValidationCallback = (_, _, _, _) => true,
            CheckCertificateRevocation = false,
            Timeout = 30_000,
        };
        if (localDomain is not null)
        {
            client.LocalDomain = localDomain;
        }

        return client;
    }

    /// <summary>Connects to a MailSink listener on the loopback address.</summary>
    public static async Task<SmtpClient> ConnectAsync(
        int port, SecureSocketOptions security = SecureSocketOptions.None, string? localDomain = null, CancellationToken cancellationToken = default)
    {
        var client = NewClient(localDomain);
        try
        {
            await client.ConnectAsync("127.0.0.1", port, security, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Connects, sends one message, says QUIT; returns the server's final reply to DATA.</summary>
    public static async Task<string> SendAsync(
        int port, MimeMessage message, SecureSocketOptions security = SecureSocketOptions.None, string? localDomain = null, CancellationToken cancellationToken = default)
    {
        using var client = await ConnectAsync(port, security, localDomain, cancellationToken);
        var reply = await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        return reply;
    }

    /// <summary>The message ID in "250 2.0.0 Ok: queued as &lt;ID&gt;" (MailKit returns the final reply text).</summary>
    public static string QueuedId(string finalReply)
    {
        var match = QueuedAs().Match(finalReply);
        Assert.True(match.Success, $"The final reply does not name a queued ID: '{finalReply}'");
        return match.Groups["id"].Value;
    }
}
