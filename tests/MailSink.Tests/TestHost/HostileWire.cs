using System.Net.Sockets;
using System.Text;

namespace MailSink.Tests.TestHost;

/// <summary>Raw-socket pieces for the hostile-client suite: floods, garbage, reading to the close. Every wait is bounded.</summary>
public static class HostileWire
{
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    /// <summary>A TLS record header claiming a handshake, then random bytes, then more records of garbage.</summary>
    public static byte[] TlsGarbage()
    {
        var random = new Random(465);
        var garbage = new byte[256 * 1024];
        random.NextBytes(garbage);
        for (var i = 0; i + 5 < garbage.Length; i += 5 + random.Next(16_384))
        {
            (garbage[i], garbage[i + 1], garbage[i + 2]) = (0x16, 0x03, 0x01);
        }

        return garbage;
    }

    public static async Task<TcpClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port);
        return tcp;
    }

    /// <summary>Writes prefix, then <paramref name="bytes"/> of 'A' with no line ending, then suffix; stops at the server's close. Returns bytes written.</summary>
    public static async Task<long> WriteFloodAsync(NetworkStream stream, long bytes, byte[] prefix, byte[] suffix)
    {
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'A');
        long written = 0;
        try
        {
            await stream.WriteAsync(prefix);
            while (written < bytes)
            {
                var n = (int)Math.Min(chunk.Length, bytes - written);
                await stream.WriteAsync(chunk.AsMemory(0, n)).AsTask().WaitAsync(Generous);
                written += n;
            }

            await stream.WriteAsync(suffix);
        }
        catch (IOException)
        {
            // The server closed on us: an accepted answer to a flood.
        }

        return written;
    }

    public static async Task WriteAllAsync(NetworkStream stream, byte[] bytes)
    {
        try
        {
            await stream.WriteAsync(bytes).AsTask().WaitAsync(Generous);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Everything the server sends until it closes (a reset counts as a close); fails after the generous deadline.</summary>
    public static async Task<string> ReadUntilClosedAsync(NetworkStream stream) =>
        Encoding.Latin1.GetString(await TlsSessions.ReadUntilClosedAsync(stream, Generous));

    public static async Task<string> ReadRestAsync(StreamReader reader)
    {
        try
        {
            return await reader.ReadToEndAsync().WaitAsync(Generous);
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Reads reply lines (multi-line replies included) until one starting with <paramref name="prefix"/>.</summary>
    public static async Task ExpectAsync(StreamReader reader, string prefix)
    {
        while (true)
        {
            var line = await reader.ReadLineAsync().WaitAsync(Generous) ?? throw new IOException($"closed while waiting for '{prefix}'");
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return;
            }

            Assert.True(line.Length > 3 && line[3] == '-' && line[..3] == prefix[..3], $"expected '{prefix}', got '{line}'");
        }
    }
}
