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

        using var decoded = part.Content.Open();
        using var reader = new StreamReader(decoded, EncodingOf(part), detectEncodingFromByteOrderMarks: true, bufferSize: 16 * 1024);
        var builder = new StringBuilder(Math.Min(maxChars, 16 * 1024));
        var buffer = new char[Math.Min(maxChars, 8 * 1024)];
        while (builder.Length < maxChars)
        {
            var read = reader.Read(buffer, 0, Math.Min(buffer.Length, maxChars - builder.Length));
            if (read == 0)
            {
                break;
            }

            builder.Append(buffer, 0, read);
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
