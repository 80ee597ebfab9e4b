using System.Net.Sockets;
using System.Text;

namespace MailSink.Tests.TestHost;

/// <summary>
/// A byte-exact SMTP client over a plain socket, for protocol edges MailKit will not produce:
/// pipelining, bare LF, overlong lines, broken sequences. Every read has a deadline.
/// </summary>
public sealed class RawSmtpClient : IAsyncDisposable
{
    private readonly TcpClient _tcp = new() { NoDelay = true };
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly MemoryStream _pending = new();
    private NetworkStream _stream = null!;

    /// <summary>A read that outlived a deadline; the next read takes it over, so no byte is lost.</summary>
    private Task<int>? _inFlight;

    public static TimeSpan ReadTimeout { get; } = TimeSpan.FromSeconds(15);

    /// <param name="from">A loopback address to connect from (127.0.0.x), for tests of per-address state; null: any.</param>
    public static async Task<RawSmtpClient> ConnectAsync(int port, System.Net.IPAddress? from = null)
    {
        var client = new RawSmtpClient();
        if (from is not null)
        {
            client._tcp.Client.Bind(new System.Net.IPEndPoint(from, 0));
        }

        await client._tcp.ConnectAsync("127.0.0.1", port);
        client._stream = client._tcp.GetStream();
        return client;
    }

    /// <summary>Connects, reads the greeting, sends EHLO and reads its reply.</summary>
    public static async Task<RawSmtpClient> ConnectAndEhloAsync(int port, string helo = "client.test", System.Net.IPAddress? from = null)
    {
        var client = await ConnectAsync(port, from);
        Assert.Equal(220, (await client.ReadReplyAsync()).Code);
        Assert.Equal(250, (await client.CommandAsync($"EHLO {helo}")).Code);
        return client;
    }

    /// <summary>
    /// Delivers <paramref name="content"/> (CRLF lines, ending in CRLF) in one transaction, dot-stuffing
    /// lines that start with "."; returns the queued ID.
    /// </summary>
    public static async Task<string> DeliverAsync(int port, byte[] content, string from = "raw@example.test", params string[] recipients)
    {
        await using var client = await ConnectAndEhloAsync(port);
        Assert.Equal(250, (await client.CommandAsync($"MAIL FROM:<{from}>")).Code);
        foreach (var rcpt in recipients.Length == 0 ? ["rcpt@example.test"] : recipients)
        {
            Assert.Equal(250, (await client.CommandAsync($"RCPT TO:<{rcpt}>")).Code);
        }

        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        await client.SendAsync(DotStuff(content));
        await client.SendAsync(".\r\n"u8.ToArray());
        var reply = await client.ReadReplyAsync();
        Assert.True(reply.Code == 250, $"DATA refused: {reply}");
        Assert.Equal(221, (await client.CommandAsync("QUIT")).Code);
        return SmtpSending.QueuedId(reply.Text);
    }

    /// <summary>RFC 5321 section 4.5.2: a line starting with "." gets one more.</summary>
    public static byte[] DotStuff(byte[] content)
    {
        using var output = new MemoryStream(content.Length + 16);
        var lineStart = true;
        foreach (var b in content)
        {
            if (lineStart && b == (byte)'.')
            {
                output.WriteByte((byte)'.');
            }

            output.WriteByte(b);
            lineStart = b == (byte)'\n';
        }

        return output.ToArray();
    }

    public Task SendLineAsync(string line) => SendAsync(Encoding.UTF8.GetBytes(line + "\r\n"));

    public async Task SendAsync(ReadOnlyMemory<byte> bytes) => await _stream.WriteAsync(bytes);

    public async Task<SmtpReply> CommandAsync(string line)
    {
        await SendLineAsync(line);
        return await ReadReplyAsync();
    }

    /// <summary>Reads one (possibly multi-line) reply; throws when the server closes first or the deadline passes.</summary>
    public async Task<SmtpReply> ReadReplyAsync()
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync() ?? throw new IOException($"Connection closed while reading a reply (after: {string.Join(" | ", lines)}).");
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), out var code))
            {
                throw new InvalidDataException($"Not an SMTP reply line: '{line}'");
            }

            lines.Add(line.Length > 4 ? line[4..] : "");
            if (line.Length == 3 || line[3] == ' ')
            {
                return new SmtpReply(code, lines);
            }
        }
    }

    /// <summary>True when the server closes the connection (read returns 0 or resets) before the deadline, with no more data.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        try
        {
            if (_pending.Length > 0)
            {
                return false;
            }

            var read = await ReadChunkAsync(timeout.Token);
            return read == 0;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>True when the server sent something (or closed) within <paramref name="wait"/>; what it sent stays to be read.</summary>
    public async Task<bool> HasDataAsync(TimeSpan wait)
    {
        if (_pending.Length > 0)
        {
            return true;
        }

        using var timeout = new CancellationTokenSource(wait);
        try
        {
            var read = await ReadChunkAsync(timeout.Token);
            if (read > 0)
            {
                await _pending.WriteAsync(_buffer.AsMemory(0, read), CancellationToken.None);
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>One read from the socket; a read cut short by the token carries on in the background for the next call.</summary>
    private async Task<int> ReadChunkAsync(CancellationToken cancellationToken)
    {
        _inFlight ??= _stream.ReadAsync(_buffer, CancellationToken.None).AsTask();
        var read = await _inFlight.WaitAsync(cancellationToken);
        _inFlight = null;
        return read;
    }

    private async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        while (true)
        {
            if (TryTakeLine() is { } line)
            {
                return line;
            }

            int read;
            try
            {
                read = await ReadChunkAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No complete reply line within {ReadTimeout.TotalSeconds} s (have: '{Encoding.UTF8.GetString(_pending.ToArray())}').");
            }

            if (read == 0)
            {
                return null;
            }

            await _pending.WriteAsync(_buffer.AsMemory(0, read), CancellationToken.None);
        }
    }

    private string? TryTakeLine()
    {
        var span = _pending.GetBuffer().AsSpan(0, (int)_pending.Length);
        var end = span.IndexOf("\r\n"u8);
        if (end < 0)
        {
            return null;
        }

        var line = Encoding.UTF8.GetString(span[..end]);
        var rest = span[(end + 2)..].ToArray();
        _pending.SetLength(0);
        _pending.Write(rest);
        return line;
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
