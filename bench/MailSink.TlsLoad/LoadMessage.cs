using System.Globalization;
using System.Text;

namespace MailSink.TlsLoad;

/// <summary>
/// The messages sent: a fixed body made once (plain text lines, or a text part plus a base64 attachment) under
/// headers that differ per message (Subject, Message-ID), so every message is parsed and stored as a new one.
/// Already in SMTP's DATA form: CRLF lines, none starting with a dot, ending with the terminating ".".
/// </summary>
internal sealed class LoadMessage
{
    private readonly byte[] _body;

    public LoadMessage(int size, bool attachment)
    {
        // About 300 bytes of headers come in front of the body.
        var bodySize = Math.Max(100, size - 300);
        _body = Encoding.ASCII.GetBytes(attachment ? MultipartBody(bodySize) : TextBody(bodySize) + "\r\n.\r\n");
    }

    public byte[] Data(int n, string from, string to)
    {
        var headers = string.Create(
            CultureInfo.InvariantCulture,
            $"From: <{from}>\r\nTo: <{to}>\r\nSubject: load {n}\r\nDate: {DateTimeOffset.UtcNow:R}\r\nMessage-ID: <load-{n}-{Guid.NewGuid():N}@bench.example>\r\nMIME-Version: 1.0\r\n");
        var head = Encoding.ASCII.GetBytes(headers);
        var data = new byte[head.Length + _body.Length];
        head.CopyTo(data, 0);
        _body.CopyTo(data, head.Length);
        return data;
    }

    private static string TextBody(int size)
    {
        var text = new StringBuilder("Content-Type: text/plain; charset=us-ascii\r\n\r\n", size + 100);
        var line = 0;
        while (text.Length < size)
        {
            text.Append(CultureInfo.InvariantCulture, $"Line {line++:D5} of a load message: the quick brown fox jumps over the lazy dog.\r\n");
        }

        return text.ToString();
    }

    private static string MultipartBody(int size)
    {
        const string boundary = "load-boundary-7f3a";
        var text = new StringBuilder(size + 200);
        text.Append(CultureInfo.InvariantCulture, $"Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n");
        text.Append(CultureInfo.InvariantCulture, $"--{boundary}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nA load message with an attachment.\r\n\r\n");
        text.Append(CultureInfo.InvariantCulture, $"--{boundary}\r\nContent-Type: application/pdf; name=\"report.pdf\"\r\n");
        text.Append("Content-Disposition: attachment; filename=\"report.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");

        // Random bytes (seeded: every run sends the same) so the attachment does not compress to nothing.
        var raw = new byte[Math.Max(0, size - text.Length - 50) * 3 / 4];
        new Random(12).NextBytes(raw);
        var base64 = Convert.ToBase64String(raw);
        for (var i = 0; i < base64.Length; i += 76)
        {
            text.Append(base64.AsSpan(i, Math.Min(76, base64.Length - i))).Append("\r\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"--{boundary}--\r\n.\r\n");
        return text.ToString();
    }
}
