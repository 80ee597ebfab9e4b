namespace MailSink.Mime;

/// <summary>What a byte-level pass over the raw message found; MimeKit normalizes these away.</summary>
internal readonly record struct RawMessageFacts(int BareLineFeeds, int BareCarriageReturns, bool EightBitHeaders);

/// <summary>
/// One vectorized pass over the raw bytes for problems the parsed tree hides: RFC 5321 section 2.3.8 and
/// RFC 5322 section 2.3 allow CR and LF only together as CRLF (bare LF is the basis of SMTP smuggling),
/// and RFC 5322 headers are 7-bit unless SMTPUTF8 was negotiated (RFC 6531, RFC 6532).
/// </summary>
internal static class RawMessageScanner
{
    public static RawMessageFacts Scan(ReadOnlySpan<byte> raw)
    {
        var bareLf = 0;
        var bareCr = 0;
        var headerEnd = -1;
        var lineStart = 0;
        var position = 0;

        while (position < raw.Length)
        {
            var next = raw[position..].IndexOfAny((byte)'\r', (byte)'\n');
            if (next < 0)
            {
                break;
            }

            var at = position + next;
            int lineEnd;
            if (raw[at] == '\r')
            {
                if (at + 1 < raw.Length && raw[at + 1] == '\n')
                {
                    lineEnd = at + 2;
                }
                else
                {
                    bareCr++;
                    lineEnd = at + 1;
                }
            }
            else
            {
                bareLf++;
                lineEnd = at + 1;
            }

            if (headerEnd < 0 && at == lineStart)
            {
                headerEnd = lineStart;
            }

            lineStart = lineEnd;
            position = lineEnd;
        }

        var headers = headerEnd < 0 ? raw : raw[..headerEnd];
        return new RawMessageFacts(bareLf, bareCr, headers.ContainsAnyInRange((byte)0x80, (byte)0xFF));
    }
}
