using System.Buffers;
using System.Text;
using MimeKit;

namespace MailSink.Mime;

/// <summary>
/// Decodes at most N characters of a text part. MimeKit's TextPart.Text decodes the whole part into one
/// string; for a 50 MB body that is ~100 MB of UTF-16 just to build a 250-character snippet.
/// </summary>
internal static class BoundedTextReader
{
    public static string Read(TextPart part, int maxChars)
    {
        if (part.Content is null || maxChars <= 0)
        {
            return "";
        }

        // Buffers sized by the encoded length: decoding (base64, QP, any charset) never yields more characters than
        // there are bytes, and fixed 16 KB buffers were ~100 KB of garbage for every 5 KB message (issue 12).
        var bound = (int)Math.Clamp(part.Content.Stream is { CanSeek: true } encoded ? encoded.Length + 16 : maxChars, 16, maxChars);
        using var decoded = part.Content.Open();
        using var reader = new StreamReader(decoded, EncodingOf(part), detectEncodingFromByteOrderMarks: true, bufferSize: Math.Min(bound, 16 * 1024));
        var builder = new StringBuilder(Math.Min(bound, 16 * 1024));
        var buffer = ArrayPool<char>.Shared.Rent(Math.Min(bound, 8 * 1024));
        try
        {
            while (builder.Length < maxChars)
            {
                var read = reader.Read(buffer, 0, Math.Min(buffer.Length, maxChars - builder.Length));
                if (read == 0)
                {
                    break;
                }

                builder.Append(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }

        return builder.ToString();
    }

    /// <summary>The declared charset when .NET knows it, else UTF-8 (RFC 6532 era default; invalid bytes become U+FFFD).</summary>
    public static Encoding EncodingOf(TextPart part)
    {
        try
        {
            return part.ContentType.CharsetEncoding ?? Encoding.UTF8;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return Encoding.UTF8;
        }
    }
}
