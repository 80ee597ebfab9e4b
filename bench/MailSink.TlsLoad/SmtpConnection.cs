using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace MailSink.TlsLoad;

/// <summary>
/// One SMTP client connection on a raw socket (no pipelining): greeting, EHLO, optionally STARTTLS (RFC 3207) with
/// a fresh EHLO, then MAIL/RCPT/DATA per message. Any reply other than the expected one throws, with the reply.
/// </summary>
internal sealed class SmtpConnection : IAsyncDisposable
{
    private static readonly byte[] Quit = "QUIT\r\n"u8.ToArray();

    private readonly TcpClient _tcp;
    private readonly byte[] _buffer = new byte[4096];
    private Stream _stream = Stream.Null;
    private int _start;
    private int _end;

    private SmtpConnection(TcpClient tcp)
    {
        _tcp = tcp;
    }

    public static async Task<SmtpConnection> OpenAsync(string host, int port, bool startTls, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        var connection = new SmtpConnection(tcp);
        try
        {
            await tcp.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            connection._stream = tcp.GetStream();
            await connection.ExpectAsync(220, cancellationToken).ConfigureAwait(false);
            await connection.CommandAsync("EHLO load.bench.example\r\n", 250, cancellationToken).ConfigureAwait(false);
            if (startTls)
            {
                await connection.CommandAsync("STARTTLS\r\n", 220, cancellationToken).ConfigureAwait(false);
                if (connection._end != connection._start)
                {
                    throw new InvalidOperationException("the server sent bytes after 220 to STARTTLS (RFC 3207 section 5 forbids it)");
                }

                var tls = new SslStream(connection._stream, leaveInnerStreamOpen: false);
                await tls.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = host,

                        // MailSink's generated certificate is self-signed; this is a load client on loopback.
                        RemoteCertificateValidationCallback = (_, _, _, _) => true,
                    },
                    cancellationToken).ConfigureAwait(false);
                connection._stream = tls;
                await connection.CommandAsync("EHLO load.bench.example\r\n", 250, cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends one message; completes when its 250 has been read.</summary>
    public async Task SendAsync(string from, string to, byte[] data, CancellationToken cancellationToken)
    {
        await CommandAsync($"MAIL FROM:<{from}>\r\n", 250, cancellationToken).ConfigureAwait(false);
        await CommandAsync($"RCPT TO:<{to}>\r\n", 250, cancellationToken).ConfigureAwait(false);
        await CommandAsync("DATA\r\n", 354, cancellationToken).ConfigureAwait(false);
        await _stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        await ExpectAsync(250, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_tcp.Connected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _stream.WriteAsync(Quit, timeout.Token).ConfigureAwait(false);
                await ExpectAsync(221, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException or SocketException)
        {
            // Closing anyway.
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        _tcp.Dispose();
    }

    private async Task CommandAsync(string command, int expected, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(command), cancellationToken).ConfigureAwait(false);
        await ExpectAsync(expected, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one reply, multi-line ("250-...") included, and checks its code.</summary>
    private async Task ExpectAsync(int expected, CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), out var code))
            {
                throw new InvalidOperationException($"not an SMTP reply: {line}");
            }

            if (line.Length > 3 && line[3] == '-')
            {
                continue;
            }

            if (code != expected)
            {
                throw new InvalidOperationException($"expected {expected}, got: {line}");
            }

            return;
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var line = Encoding.ASCII.GetString(_buffer, _start, newline - _start).TrimEnd('\r');
                _start = newline + 1;
                return line;
            }

            if (_start > 0)
            {
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new InvalidOperationException("reply line longer than 4 KB");
            }

            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("the server closed the connection");
            }

            _end += read;
        }
    }
}
