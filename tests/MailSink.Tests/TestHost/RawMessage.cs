using System.Text;
using MimeKit;

namespace MailSink.Tests.TestHost;

/// <summary>Splits a stored raw message into MailSink's prepended Received header and the bytes the client sent.</summary>
public static class RawMessage
{
    /// <summary>The first header (with its folded continuation lines) and everything after it.</summary>
    public static (string Received, byte[] Content) SplitFirstHeader(byte[] raw)
    {
        var i = 0;
        while (true)
        {
            var lf = Array.IndexOf(raw, (byte)'\n', i);
            Assert.True(lf > 0 && raw[lf - 1] == (byte)'\r', "the stored message has no CRLF-terminated first header");
            i = lf + 1;
            if (i >= raw.Length || (raw[i] != (byte)' ' && raw[i] != (byte)'\t'))
            {
                break;
            }
        }

        var header = Encoding.UTF8.GetString(raw, 0, i);
        Assert.StartsWith("Received: ", header, StringComparison.Ordinal);
        return (header, raw[i..]);
    }

    /// <summary>What MailKit puts on the wire for a message (it prepares the message in place before sending).</summary>
    public static byte[] WireBytes(MimeMessage message)
    {
        using var stream = new MemoryStream();
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(options, stream);
        return stream.ToArray();
    }

    /// <summary>Shows bytes with CR and LF visible, for assertion messages.</summary>
    public static string Visible(byte[] bytes) =>
        Encoding.UTF8.GetString(bytes).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
