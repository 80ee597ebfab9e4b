using MailSink.Domain;

namespace MailSink.Diagnostics.Content;

/// <summary>Byte-level and content checks: long lines, 8-bit without 8BITMIME, HTML-only, size.</summary>
internal static class BodyChecks
{
    /// <summary>RFC 5322 section 2.1.1 and RFC 5321 section 4.5.3.1.6: at most 998 octets before CRLF.</summary>
    public const int MaxLineOctets = 998;

    /// <summary>A common receiver limit (Gmail's is 25 MB including encoding).</summary>
    public const long LargeMessageBytes = 25L * 1024 * 1024;

    public static void Check(ReadOnlySpan<byte> data, MessageSummary summary, List<Finding> findings)
    {
        var (longLines, longest) = LongLines(data);
        if (longLines > 0)
        {
            findings.Add(Finding.Of("mime.line-too-long", FindingSeverity.Error, FindingArea.Mime, "RFC 5322 section 2.1.1",
                $"{longLines} line(s) are longer than 998 octets (the longest is {longest}); relays may break them and invalidate DKIM. Use quoted-printable or base64 for long content."));
        }

        var headerEnd = data.IndexOf("\r\n\r\n"u8);
        var body = headerEnd < 0 ? ReadOnlySpan<byte>.Empty : data[(headerEnd + 4)..];
        var bodyType = summary.Envelope.MailParameters.GetValueOrDefault("BODY", "").ToUpperInvariant();
        if (body.ContainsAnyInRange((byte)0x80, (byte)0xFF) && bodyType is not ("8BITMIME" or "BINARYMIME"))
        {
            findings.Add(Finding.Of("smtp.8bit-without-8bitmime", FindingSeverity.Error, FindingArea.Smtp, "RFC 6152 section 3",
                "The body has 8-bit bytes but MAIL FROM did not say BODY=8BITMIME; use quoted-printable or base64, or send BODY=8BITMIME to a server that offers it."));
        }

        if (summary.HasHtml && !summary.HasText)
        {
            findings.Add(Finding.Of("content.html-only", FindingSeverity.Warning, FindingArea.Content, "RFC 2046 section 5.1.4",
                "The message has HTML but no text/plain alternative; spam filters score HTML-only mail higher. Send multipart/alternative with a text part."));
        }

        if (summary.Size > LargeMessageBytes)
        {
            findings.Add(Finding.Of("content.too-large", FindingSeverity.Warning, FindingArea.Content, "RFC 1870 section 3",
                $"The message is {summary.Size / (1024 * 1024)} MB; many receivers (Gmail: 25 MB) refuse larger mail. Link to large files instead of attaching them."));
        }
    }

    private static (int Count, int Longest) LongLines(ReadOnlySpan<byte> data)
    {
        var count = 0;
        var longest = 0;
        while (!data.IsEmpty)
        {
            var end = data.IndexOfAny((byte)'\r', (byte)'\n');
            var length = end < 0 ? data.Length : end;
            if (length > MaxLineOctets)
            {
                count++;
                longest = Math.Max(longest, length);
            }

            if (end < 0)
            {
                break;
            }

            var skip = data[end] == '\r' && end + 1 < data.Length && data[end + 1] == '\n' ? 2 : 1;
            data = data[(end + skip)..];
        }

        return (count, longest);
    }
}
