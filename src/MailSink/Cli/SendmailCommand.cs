using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MimeKit.Utils;

namespace MailSink.Cli;

/// <summary>
/// <c>mailsink sendmail</c>: reads a message on stdin and submits it to a MailSink over SMTP, so PHP's
/// mail() (sendmail_path), cron's MAILTO and scripts that pipe into sendmail land in the sink. Like
/// Postfix's sendmail it adds a missing From, Date and Message-ID and never passes a Bcc header on.
/// Silent on success; one line on stderr and a sysexits code on failure. With -bs the caller speaks SMTP
/// itself (<see cref="SendmailStdioRelay"/>).
/// </summary>
internal static class SendmailCommand
{
    /// <param name="args">The arguments after "sendmail".</param>
    /// <param name="input">stdin: the message, or with -bs the caller's SMTP commands.</param>
    /// <param name="output">stdout: written only with -bs (the server's replies).</param>
    /// <param name="error">stderr: one line on failure.</param>
    /// <param name="cancellationToken">Stops the submission.</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, Stream input, Stream output, TextWriter error, CancellationToken cancellationToken)
    {
        var options = SendmailArguments.Parse(args, out var usage);
        if (options is null)
        {
            return await FailAsync(error, usage!, SendmailExitCodes.Usage).ConfigureAwait(false);
        }

        if (!options.TryGetServer(out var host, out var port, out var serverError))
        {
            return await FailAsync(error, serverError!, SendmailExitCodes.Usage).ConfigureAwait(false);
        }

        if (options.SmtpOnStdio)
        {
            return await SendmailStdioRelay.RunAsync(host, port, options.ImplicitTls, input, output, error, cancellationToken).ConfigureAwait(false);
        }

        byte[] bytes;
        try
        {
            using var buffer = new MemoryStream();
            await input.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            bytes = buffer.ToArray();
        }
        catch (IOException ex)
        {
            return await FailAsync(error, $"cannot read the message from stdin: {ex.Message}", SendmailExitCodes.IoError).ConfigureAwait(false);
        }

        if (!options.IgnoreDots)
        {
            bytes = CutAtLoneDot(bytes);
        }

        MimeMessage message;
        try
        {
            message = await MimeMessage.LoadAsync(new MemoryStream(bytes), cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException ex)
        {
            return await FailAsync(error, $"stdin is not a mail message: {ex.Message}", SendmailExitCodes.DataError).ConfigureAwait(false);
        }

        var recipients = new List<MailboxAddress>();
        foreach (var argument in options.Recipients)
        {
            if (!InternetAddressList.TryParse(argument, out var parsed))
            {
                return await FailAsync(error, $"'{argument}' is not an email address", SendmailExitCodes.Usage).ConfigureAwait(false);
            }

            recipients.AddRange(parsed.Mailboxes);
        }

        if (options.RecipientsFromHeaders)
        {
            recipients.AddRange(message.To.Mailboxes);
            recipients.AddRange(message.Cc.Mailboxes);
            recipients.AddRange(message.Bcc.Mailboxes);
        }

        // Bcc recipients must not learn of each other (RFC 5322 section 3.6.3).
        message.Headers.RemoveAll(HeaderId.Bcc);
        recipients = recipients.DistinctBy(r => r.Address, StringComparer.OrdinalIgnoreCase).ToList();
        if (recipients.Count == 0)
        {
            return await FailAsync(error, "no recipients: give addresses as arguments, or use -t to take them from the To, Cc and Bcc headers", SendmailExitCodes.Usage).ConfigureAwait(false);
        }

        var sender = EnvelopeSender(options, message);
        CompleteHeaders(message, options, sender);
        return await SubmitAsync(message, sender, recipients, options, host, port, error, cancellationToken).ConfigureAwait(false);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5359", Justification = "Submits to the local sink, whose certificate is self-signed by design; see the comment in the body.")]
    private static async Task<int> SubmitAsync(MimeMessage message, MailboxAddress sender, List<MailboxAddress> recipients, SendmailArguments options, string host, int port, TextWriter error, CancellationToken cancellationToken)
    {
        // Any certificate is accepted: this submits to a local sink, whose certificate is self-signed by design
        // (generated on first run, see Smtp/CertificateProvider.cs), so there is no chain to check and nothing
        // to protect; --starttls and --tls exist to exercise the TLS listeners as an application would.
        using var client = new SmtpClient { Timeout = 30_000, ServerCertificateValidationCallback = (_, _, _, _) => true };
        var security = options.ImplicitTls ? SecureSocketOptions.SslOnConnect
            : options.StartTls ? SecureSocketOptions.StartTls
            : SecureSocketOptions.None; // plain, even where STARTTLS is offered, unless asked
        try
        {
            await client.ConnectAsync(host, port, security, cancellationToken).ConfigureAwait(false);
            if (options.AuthUser is { } user)
            {
                await client.AuthenticateAsync(user, options.AuthPassword ?? "", cancellationToken).ConfigureAwait(false);
            }

            await client.SendAsync(message, sender, recipients, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
            return SendmailExitCodes.Ok;
        }
        catch (SocketException ex)
        {
            return await FailAsync(error, $"cannot connect to {host}:{port}: {ex.Message} (is MailSink running? set --server or {SendmailArguments.ServerVariable})", SendmailExitCodes.Unavailable).ConfigureAwait(false);
        }
        catch (SmtpCommandException ex)
        {
            var code = (int)ex.StatusCode;
            var exit = code is >= 400 and < 500 ? SendmailExitCodes.TempFail
                : ex.ErrorCode == SmtpErrorCode.RecipientNotAccepted ? SendmailExitCodes.NoUser
                : SendmailExitCodes.Unavailable;
            var who = ex.ErrorCode switch
            {
                SmtpErrorCode.RecipientNotAccepted => $"recipient {ex.Mailbox} refused",
                SmtpErrorCode.SenderNotAccepted => $"sender {ex.Mailbox} refused",
                _ => "message refused",
            };
            return await FailAsync(error, $"{host}:{port}: {who}: {code} {ex.Message}", exit).ConfigureAwait(false);
        }
        catch (NotSupportedException ex)
        {
            // MailKit's words for a missing STARTTLS or AUTH extension; on the submission listener AUTH comes only after STARTTLS.
            var hint = options.AuthUser is not null && !options.StartTls && !options.ImplicitTls ? " (add --starttls: the submission listener offers AUTH only after STARTTLS)" : "";
            return await FailAsync(error, $"{host}:{port}: {ex.Message}{hint}", SendmailExitCodes.Unavailable).ConfigureAwait(false);
        }
        catch (SslHandshakeException ex)
        {
            return await FailAsync(error, $"{host}:{port}: TLS failed: {ex.Message} (--tls is for the implicit-TLS listener, 465; --starttls for 1025 and 587)", SendmailExitCodes.Unavailable).ConfigureAwait(false);
        }
        catch (AuthenticationException ex)
        {
            return await FailAsync(error, $"{host}:{port}: AUTH as {options.AuthUser} refused: {ex.Message}", SendmailExitCodes.Unavailable).ConfigureAwait(false);
        }
        catch (SmtpProtocolException ex)
        {
            return await FailAsync(error, $"{host}:{port} does not speak SMTP as expected: {ex.Message}", SendmailExitCodes.Protocol).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or OperationCanceledException or ServiceNotConnectedException)
        {
            return await FailAsync(error, $"{host}:{port}: {ex.Message}; try again later", SendmailExitCodes.TempFail).ConfigureAwait(false);
        }
    }

    /// <summary>-f, else the From header's address, else the login name at this host (as sendmail does).</summary>
    private static MailboxAddress EnvelopeSender(SendmailArguments options, MimeMessage message)
    {
        if (options.Sender is { } given && MailboxAddress.TryParse(given, out var parsed))
        {
            return parsed;
        }

        return message.From.Mailboxes.FirstOrDefault()
            ?? new MailboxAddress(options.FullName ?? "", $"{Environment.UserName}@{LocalHostName()}");
    }

    private static void CompleteHeaders(MimeMessage message, SendmailArguments options, MailboxAddress sender)
    {
        if (message.From.Count == 0)
        {
            message.From.Add(new MailboxAddress(options.FullName ?? sender.Name ?? "", sender.Address));
        }

        if (!message.Headers.Contains(HeaderId.Date))
        {
            message.Date = DateTimeOffset.Now;
        }

        if (string.IsNullOrEmpty(message.MessageId))
        {
            message.MessageId = MimeUtils.GenerateMessageId(LocalHostName());
        }
    }

    /// <summary>Without -i a line holding only "." ends the input (sendmail's historic behaviour).</summary>
    internal static byte[] CutAtLoneDot(byte[] bytes)
    {
        var lineStart = 0;
        while (lineStart < bytes.Length)
        {
            if (bytes[lineStart] == (byte)'.')
            {
                var after = lineStart + 1;
                if (after == bytes.Length
                    || bytes[after] == (byte)'\n'
                    || (bytes[after] == (byte)'\r' && (after + 1 == bytes.Length || bytes[after + 1] == (byte)'\n')))
                {
                    return bytes[..lineStart];
                }
            }

            var newline = Array.IndexOf(bytes, (byte)'\n', lineStart);
            if (newline < 0)
            {
                break;
            }

            lineStart = newline + 1;
        }

        return bytes;
    }

    private static string LocalHostName()
    {
        var name = System.Net.Dns.GetHostName();
        return string.IsNullOrWhiteSpace(name) ? "localhost" : name;
    }

    internal static async Task<int> FailAsync(TextWriter error, string message, int exitCode)
    {
        await error.WriteLineAsync($"mailsink sendmail: {message}").ConfigureAwait(false);
        return exitCode;
    }
}
