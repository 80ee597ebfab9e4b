using System.Text;
using MailSink.Domain;

namespace MailSink.Api.Compat;

/// <summary>
/// Builds MailHog's message shape from the raw bytes: headers as sent (unfolded), the body undecoded,
/// and for multipart messages the parts, split at their boundaries the way MailHog does.
/// </summary>
internal static class MailHogMessageMapper
{
    private const int MaxDepth = 8;

    public static MailHogMessage Map(MessageSummary summary, byte[] raw)
    {
        var text = Latin1OrUtf8(raw);
        var content = Parse(text, 0, out var mime);

        // MailHog adds the envelope sender as Return-Path when the message has none (data.SMTPMessage.Parse).
        if (!content.Headers.Keys.Any(k => k.Equals("Return-Path", StringComparison.OrdinalIgnoreCase)))
        {
            content.Headers["Return-Path"] = ["<" + summary.Envelope.MailFrom + ">"];
        }

        return new MailHogMessage(
            summary.Id,
            MailHogPath.Of(summary.Envelope.MailFrom),
            summary.Envelope.RcptTo.Select(MailHogPath.Of).ToList(),
            content with { MIME = null },
            summary.ReceivedAt,
            mime,
            new MailHogRaw(summary.Envelope.MailFrom, summary.Envelope.RcptTo, text, summary.Envelope.Helo));
    }

    private static MailHogContent Parse(string entity, int depth, out MailHogMime? mime)
    {
        var split = entity.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headerText = split < 0 ? entity : entity[..split];
        var body = split < 0 ? "" : entity[(split + 4)..];
        var headers = ParseHeaders(headerText);
        mime = null;
        var boundary = depth < MaxDepth ? Boundary(headers) : null;
        if (boundary is not null)
        {
            var parts = SplitParts(body, boundary).Select(p => Parse(p, depth + 1, out var nested) with { MIME = nested }).ToList();
            mime = new MailHogMime(parts);
        }

        return new MailHogContent(headers, body, Encoding.UTF8.GetByteCount(entity), null);
    }

    private static Dictionary<string, List<string>> ParseHeaders(string block)
    {
        var headers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        string? name = null;
        var value = new StringBuilder();
        foreach (var line in block.Split("\r\n"))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t') && name is not null)
            {
                // As MailHog (data.ContentFromString): only the CRLF of the fold goes, the whitespace stays.
                value.Append(line.TrimEnd());
                continue;
            }

            Flush();
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                name = null;
                continue;
            }

            name = line[..colon];
            value.Clear().Append(line[(colon + 1)..].Trim());
        }

        Flush();
        return headers;

        void Flush()
        {
            if (name is null)
            {
                return;
            }

            if (!headers.TryGetValue(name, out var values))
            {
                headers[name] = values = [];
            }

            values.Add(value.ToString());
            name = null;
        }
    }

    private static string? Boundary(Dictionary<string, List<string>> headers)
    {
        var type = headers.FirstOrDefault(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
        if (type is null || !type.TrimStart().StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return MimeKit.ContentType.TryParse(type, out var parsed) ? parsed.Boundary : null;
    }

    private static IEnumerable<string> SplitParts(string body, string boundary)
    {
        var delimiter = "--" + boundary;
        var sections = body.Split(delimiter);

        // Skip the preamble; stop at the closing delimiter ("--boundary--").
        foreach (var section in sections.Skip(1))
        {
            if (section.StartsWith("--", StringComparison.Ordinal))
            {
                yield break;
            }

            var part = section.StartsWith("\r\n", StringComparison.Ordinal) ? section[2..] : section;
            yield return part.EndsWith("\r\n", StringComparison.Ordinal) ? part[..^2] : part;
        }
    }

    /// <summary>MailHog stores messages as Go strings; show valid UTF-8 as text and anything else byte for byte.</summary>
    private static string Latin1OrUtf8(byte[] raw)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(raw);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(raw);
        }
    }
}
