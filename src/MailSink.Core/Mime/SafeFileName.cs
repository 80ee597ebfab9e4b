using System.Globalization;
using System.Text;
using MimeKit;

namespace MailSink.Mime;

/// <summary>
/// File names for downloads. The name comes from the sender, so it must never choose a path: MailDev had
/// remote code execution from a Content-ID joined into a file path, MailHog stored XSS through attachments.
/// Only the last path segment is kept, control/format characters, quotes and Windows-reserved characters
/// are removed, and an unusable result falls back to "part-{id}.{ext}".
/// </summary>
internal static class SafeFileName
{
    public const int MaxLength = 120;

    private static readonly HashSet<string> WindowsDeviceNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary>The sanitized name a part should be offered under.</summary>
    public static string For(MimeEntity entity, string partId)
    {
        var declared = entity switch
        {
            MimePart part => part.FileName,
            MessagePart message => entity.ContentDisposition?.FileName ?? entity.ContentType.Name ?? WithEml(message.Message?.Subject),
            _ => entity.ContentDisposition?.FileName ?? entity.ContentType.Name,
        };

        return Sanitize(declared, partId, entity.ContentType.MimeType);
    }

    public static string Sanitize(string? declared, string partId, string mimeType)
    {
        var name = Clean(declared ?? "");
        return name.Length > 0 ? name : Fallback(partId, mimeType);
    }

    private static string Clean(string declared)
    {
        // Both separators, whatever the server OS: a name written on Windows must not become a path elsewhere.
        var lastSeparator = declared.LastIndexOfAny(['/', '\\']);
        var segment = lastSeparator >= 0 ? declared[(lastSeparator + 1)..] : declared;

        var builder = new StringBuilder(segment.Length);
        foreach (var c in segment)
        {
            var category = char.GetUnicodeCategory(c);
            if (char.IsControl(c) || category is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                || c is '"' or '\'' or '`' or '<' or '>' or ':' or '|' or '?' or '*')
            {
                continue;
            }

            builder.Append(char.IsWhiteSpace(c) ? ' ' : c);
        }

        var name = builder.ToString().Replace("..", "", StringComparison.Ordinal).Trim(' ', '.');
        if (name.Length == 0)
        {
            return "";
        }

        var stem = Path.GetFileNameWithoutExtension(name);
        if (WindowsDeviceNames.Contains(stem))
        {
            name = "_" + name;
        }

        return Shorten(name);
    }

    private static string Shorten(string name)
    {
        if (name.Length <= MaxLength)
        {
            return name;
        }

        var extension = Path.GetExtension(name);
        if (extension.Length > 16)
        {
            extension = "";
        }

        return name[..(MaxLength - extension.Length)].TrimEnd(' ', '.') + extension;
    }

    private static string Fallback(string partId, string mimeType)
    {
        var id = partId.Length > 0 && partId.All(c => char.IsAsciiDigit(c) || c == '.') ? partId : "0";
        return $"part-{id}.{ExtensionFor(mimeType)}";
    }

    private static string ExtensionFor(string mimeType)
    {
        if (mimeType.Equals("message/rfc822", StringComparison.OrdinalIgnoreCase) || mimeType.Equals("message/global", StringComparison.OrdinalIgnoreCase))
        {
            return "eml";
        }

        if (mimeType.Equals("text/plain", StringComparison.OrdinalIgnoreCase))
        {
            return "txt";
        }

        if (MimeTypes.TryGetExtension(mimeType, out var extension) && !string.IsNullOrEmpty(extension))
        {
            var bare = extension.TrimStart('.');
            if (bare.Length is > 0 and <= 10 && bare.All(char.IsAsciiLetterOrDigit))
            {
                return bare.ToLowerInvariant();
            }
        }

        return "bin";
    }

    private static string? WithEml(string? subject) => string.IsNullOrWhiteSpace(subject) ? null : subject + ".eml";
}
