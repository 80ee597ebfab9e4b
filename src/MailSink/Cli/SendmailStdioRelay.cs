using System.Net.Security;
using System.Net.Sockets;

namespace MailSink.Cli;

/// <summary>
/// <c>sendmail -bs</c>: the caller speaks SMTP on stdin and reads the replies on stdout, as it would with a real
/// MTA's sendmail (Symfony Mailer's default transport is <c>sendmail -bs</c>; Mailpit's sendmail has it too).
/// The conversation is passed through to MailSink's SMTP listener (a line ending in LF alone gets its CR), so
/// every reply (the greeting, "queued as ID", a refusal) is MailSink's own and the session is recorded like any other.
/// </summary>
internal static class SendmailStdioRelay
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5359", Justification = "Relays to the local sink, whose certificate is self-signed by design (see SendmailCommand).")]
    public static async Task<int> RunAsync(string host, int port, bool implicitTls, Stream input, Stream output, TextWriter error, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient { NoDelay = true };
        Stream server;
        try
        {
            await tcp.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            server = tcp.GetStream();
            if (implicitTls)
            {
                // Any certificate: the local sink's is self-signed by design (see SendmailCommand).
                var tls = new SslStream(server, leaveInnerStreamOpen: false, (_, _, _, _) => true);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, cancellationToken).ConfigureAwait(false);
                server = tls;
            }
        }
        catch (SocketException ex)
        {
            return await SendmailCommand.FailAsync(error, $"cannot connect to {host}:{port}: {ex.Message} (is MailSink running? set -S or {SendmailArguments.ServerVariable})", SendmailExitCodes.Unavailable).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException)
        {
            return await SendmailCommand.FailAsync(error, $"{host}:{port}: TLS failed: {ex.Message} (--tls is for the implicit-TLS listener, 465)", SendmailExitCodes.Unavailable).ConfigureAwait(false);
        }

        await using (server.ConfigureAwait(false))
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            // Not awaited: a console stdin read cannot be cancelled, so once MailSink has closed the connection the
            // process ends around it. It handles its own errors.
            _ = ForwardCommandsAsync(input, server, tcp, stop.Token);
            try
            {
                // The conversation is over when MailSink closes the connection: after QUIT, after the caller's
                // stdin ended (we pass the end on), or when MailSink ends the session itself.
                await CopyAsync(server, output, stop.Token).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                return await SendmailCommand.FailAsync(error, $"{host}:{port}: the connection broke: {ex.Message}", SendmailExitCodes.TempFail).ConfigureAwait(false);
            }
            finally
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }

            return SendmailExitCodes.Ok;
        }
    }

    /// <summary>stdin to the server; at the end of stdin, half-closes so MailSink sees the caller hang up.</summary>
    private static async Task ForwardCommandsAsync(Stream input, Stream server, TcpClient tcp, CancellationToken cancellationToken)
    {
        try
        {
            // Lines typed in a terminal end in LF alone; SMTP wants CRLF, and sendmail -bs has always taken either.
            // The price: a bare LF inside DATA reaches MailSink as CRLF, so -bs messages are never flagged for one.
            var buffer = new byte[16 * 1024];
            var crlf = new byte[buffer.Length * 2];
            var afterCr = false;
            int read;
            while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                var length = 0;
                foreach (var b in buffer.AsSpan(0, read))
                {
                    if (b == (byte)'\n' && !afterCr)
                    {
                        crlf[length++] = (byte)'\r';
                    }

                    crlf[length++] = b;
                    afterCr = b == (byte)'\r';
                }

                await server.WriteAsync(crlf.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                await server.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            if (server is SslStream tls)
            {
                await tls.ShutdownAsync().ConfigureAwait(false);
            }

            tcp.Client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            // The server closed first (QUIT was answered): nothing left to forward.
        }
    }

    /// <summary>Copies and flushes each chunk at once: the caller is waiting for this very reply.</summary>
    private static async Task CopyAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            await to.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
