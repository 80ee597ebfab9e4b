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
    public static byte[] Normalize(ReadOnlySequence<byte> buffer, long wireContentBytes) =>
        NormalizeAfter([], buffer, wireContentBytes);

    /// <summary>
    /// <paramref name="prefix"/> (the Received header) followed by the message the client sent, in one array: the
    /// stored message is built with a single copy of DATA (a 25 MB message was copied twice, issue 12).
    /// </summary>
    public static byte[] NormalizeAfter(ReadOnlySpan<byte> prefix, ReadOnlySequence<byte> buffer, long wireContentBytes)
    {
        // Content of exactly one empty line ("\r\n" then "."): the library strips that CRLF as part of the
        // terminator and hands over nothing, as for a DATA ended at once; but the client did send a line.
        var result = buffer.Length == 0 && wireContentBytes > 0
            ? Write(prefix, new ReadOnlySequence<byte>("\r\n"u8.ToArray()), addCrlf: false)
            : Normalize(prefix, buffer);
        return result;
    }

    public static byte[] Normalize(ReadOnlySequence<byte> buffer) => Normalize([], buffer);

    private static byte[] Normalize(ReadOnlySpan<byte> prefix, ReadOnlySequence<byte> buffer)
    {
        var length = buffer.Length;
        var skipFirstDot = length > 0 && FirstByte(buffer) == (byte)'.';
        var body = skipFirstDot ? buffer.Slice(1) : buffer;

        // The library always strips the CRLF before the dot, so it is added back even when the
        // remaining bytes already end with CRLF (content ending in an empty line: "body\r\n\r\n").
        return Write(prefix, body, addCrlf: body.Length > 0);
    }

    private static byte[] Write(ReadOnlySpan<byte> prefix, ReadOnlySequence<byte> body, bool addCrlf)
    {
        var result = new byte[prefix.Length + body.Length + (addCrlf ? 2 : 0)];
        prefix.CopyTo(result);
        body.CopyTo(result.AsSpan(prefix.Length));
        if (addCrlf)
        {
            result[^2] = (byte)'\r';
            result[^1] = (byte)'\n';
        }

        return result;
    }

    private static byte FirstByte(ReadOnlySequence<byte> buffer) => buffer.FirstSpan.Length > 0 ? buffer.FirstSpan[0] : buffer.Slice(0, 1).ToArray()[0];
}
