using System.Buffers;

namespace MailSink.Smtp;

/// <summary>
/// Turns what SmtpServer 11.1.0 hands the store back into what the client meant to send
/// (FIELD-NOTES, measured): the library does not dot-unstuff the first line (RFC 5321 section 4.5.2)
/// and strips the CRLF before the terminating dot, which belongs to the message.
/// <see cref="LibraryDataEnd"/> is the other half, on the way in.
/// </summary>
internal static class DataNormalizer
{
    /// <summary>The message the client sent, from what the library handed the store and what the wire saw.</summary>
    /// <param name="buffer">What the library handed the store.</param>
    /// <param name="wireContentBytes">How many bytes of content the client sent (the recorder counted them on the wire).</param>
    public static byte[] Normalize(ReadOnlySequence<byte> buffer, long wireContentBytes)
    {
        var body = Normalize(buffer);

        // Content of exactly one empty line ("\r\n" then "."): the library strips that CRLF as part of the
        // terminator and hands over nothing, as for a DATA ended at once; but the client did send a line.
        return body.Length == 0 && wireContentBytes > 0 ? "\r\n"u8.ToArray() : body;
    }

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
