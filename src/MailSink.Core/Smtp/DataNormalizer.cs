using System.Buffers;

namespace MailSink.Smtp;

/// <summary>
/// Turns what SmtpServer 11.1.0 hands the store back into what the client meant to send
/// (FIELD-NOTES, measured): the library does not dot-unstuff the first line (RFC 5321 section 4.5.2)
/// and strips the CRLF before the terminating dot, which belongs to the message.
/// </summary>
internal static class DataNormalizer
{
    public static byte[] Normalize(ReadOnlySequence<byte> buffer)
    {
        var length = buffer.Length;
        var skipFirstDot = length > 0 && FirstByte(buffer) == (byte)'.';
        var body = skipFirstDot ? buffer.Slice(1) : buffer;

        // The library always strips the CRLF before the dot, so it is added back even when the
        // remaining bytes already end with CRLF (content ending in an empty line: "body\r\n\r\n").
        var addCrlf = body.Length > 0;
        var result = new byte[body.Length + (addCrlf ? 2 : 0)];
        body.CopyTo(result);
        if (addCrlf)
        {
            result[^2] = (byte)'\r';
            result[^1] = (byte)'\n';
        }

        return result;
    }

    private static byte FirstByte(ReadOnlySequence<byte> buffer) => buffer.FirstSpan.Length > 0 ? buffer.FirstSpan[0] : buffer.Slice(0, 1).ToArray()[0];
}
