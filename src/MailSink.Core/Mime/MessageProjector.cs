using MailSink.Domain;
using MimeKit;
using MimeKit.Utils;

namespace MailSink.Mime;

/// <summary>
/// Computes the content fields of a <see cref="MessageSummary"/> from the raw bytes, parsing with MimeKit
/// once at ingest so listing and search never parse again. Never throws: malformed input is projected as
/// far as it goes and what was wrong is said in <see cref="MessageSummary.Warnings"/>.
/// </summary>
internal static class MessageProjector
{
    /// <summary>Length of <see cref="MessageSummary.Snippet"/>, in characters.</summary>
    public const int SnippetLength = 250;

    /// <summary>Cap of <see cref="MessageSummary.SearchText"/>, in characters.</summary>
    public const int SearchTextLength = 64 * 1024;

    /// <summary>HTML is read further than the search cap because markup is stripped afterwards.</summary>
    private const int HtmlReadLength = 4 * SearchTextLength;

    /// <summary>
    /// Projects <paramref name="raw"/>. Fills everything except Id, SessionId, ReceivedAt, Read, Tags and the
    /// transcript lines, which belong to the caller; <paramref name="envelope"/> is assigned as is and its
    /// recipients missing from To/Cc are added to Bcc.
    /// </summary>
    public static MessageSummary Project(ReadOnlyMemory<byte> raw, Envelope envelope) => Project(raw, envelope, out _);

    /// <summary>
    /// Like <see cref="Project(ReadOnlyMemory{byte}, Envelope)"/>, and hands out the parsed message so the checks run
    /// on the same parse (it is only valid while <paramref name="raw"/> is); null when it could not be parsed.
    /// </summary>
    public static MessageSummary Project(ReadOnlyMemory<byte> raw, Envelope envelope, out MimeMessage? parsed)
    {
        var summary = new MessageSummary { Envelope = envelope, Size = raw.Length };
        AddRawWarnings(raw.Span, envelope, summary.Warnings);

        var message = MimeLoader.TryLoad(raw, out var error);
        if (error is not null)
        {
            summary.Warnings.Add(error);
        }

        string? text = null;
        string? html = null;
        if (message is not null)
        {
            try
            {
                ProjectHeaders(message, summary);
                (text, html) = ProjectBody(message, raw, summary);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // MimeKit is lenient but not total; a summary with a warning beats a message lost at ingest.
                summary.Warnings.Add($"The message could only be partly read: {ex.GetType().Name}: {ex.Message}");
            }
        }

        AddEnvelopeBcc(summary, envelope);
        summary.SearchText = BuildSearchText(summary, text, html);
        parsed = message;
        return summary;
    }

    private static void ProjectHeaders(MimeMessage message, MessageSummary summary)
    {
        var headers = message.Headers;
        var warnings = summary.Warnings;
        if (headers.Count == 0 && (message.Body is null || message.Body.Headers.Count == 0))
        {
            warnings.Add("The message has no header section.");
        }

        summary.From = AddressMapper.Map(message.From).FirstOrDefault();
        if (!headers.Contains(HeaderId.From))
        {
            warnings.Add("There is no From header (RFC 5322 section 3.6 requires one).");
        }
        else if (summary.From is null)
        {
            warnings.Add($"The From header \"{Shorten(headers[HeaderId.From])}\" holds no address that could be parsed.");
        }

        summary.To = AddressMapper.Map(message.To);
        summary.Cc = AddressMapper.Map(message.Cc);
        summary.Bcc = AddressMapper.Map(message.Bcc);
        summary.ReplyTo = AddressMapper.Map(message.ReplyTo);
        summary.Subject = message.Subject ?? "";

        var date = headers[HeaderId.Date];
        if (date is null)
        {
            warnings.Add("There is no Date header (RFC 5322 section 3.6 requires one).");
        }
        else if (DateUtils.TryParse(date, out var parsed))
        {
            summary.Date = parsed;
        }
        else
        {
            warnings.Add($"The Date header \"{Shorten(date)}\" could not be parsed (RFC 5322 section 3.3).");
        }

        summary.MessageId = string.IsNullOrWhiteSpace(message.MessageId) ? null : message.MessageId;
        if (!headers.Contains(HeaderId.MessageId))
        {
            warnings.Add("There is no Message-ID header (RFC 5322 section 3.6.4 says it should be present).");
        }

        summary.ReceivedChain = ReceivedChainParser.Parse(headers);
    }

    private static (string? Text, string? Html) ProjectBody(MimeMessage message, ReadOnlyMemory<byte> raw, MessageSummary summary)
    {
        var structure = MimeStructure.Read(message, raw, summary.Warnings);
        var text = structure.Bodies.Text?.Entity is TextPart textPart ? BoundedTextReader.Read(textPart, SearchTextLength) : null;
        var html = structure.Bodies.Html?.Entity is TextPart htmlPart ? BoundedTextReader.Read(htmlPart, HtmlReadLength) : null;

        summary.HasText = text is not null;
        summary.HasHtml = html is not null;
        structure.ListParts(html, summary.Attachments, summary.Inlines);

        var snippet = HtmlTextExtractor.CollapseWhitespace(text ?? "", SnippetLength);
        if (snippet.Length == 0 && html is not null)
        {
            snippet = HtmlTextExtractor.Extract(html, SnippetLength);
        }

        summary.Snippet = snippet;
        return (text, html);
    }

    /// <summary>RFC 5321 section 3.3: recipients given only in RCPT TO are blind copies from the reader's view.</summary>
    private static void AddEnvelopeBcc(MessageSummary summary, Envelope envelope)
    {
        var listed = new HashSet<string>(
            summary.To.Concat(summary.Cc).Concat(summary.Bcc).Select(a => a.Address),
            StringComparer.OrdinalIgnoreCase);

        foreach (var recipient in envelope.RcptTo)
        {
            var address = recipient.Trim().Trim('<', '>').Trim();
            if (address.Length > 0 && listed.Add(address))
            {
                summary.Bcc.Add(new EmailAddress("", address));
            }
        }
    }

    private static string BuildSearchText(MessageSummary summary, string? text, string? html)
    {
        var search = new SearchTextBuilder(SearchTextLength);
        search.Add(summary.Subject);
        var addresses = new[] { summary.From }.OfType<EmailAddress>()
            .Concat(summary.To).Concat(summary.Cc).Concat(summary.Bcc).Concat(summary.ReplyTo);
        foreach (var address in addresses)
        {
            search.Add(address.Name);
            search.Add(address.Address);
        }

        // File names before the body: a long body must not push them past the cap.
        foreach (var part in summary.Attachments.Concat(summary.Inlines))
        {
            search.Add(part.FileName);
        }

        var body = string.IsNullOrWhiteSpace(text) ? html is null ? null : HtmlTextExtractor.Extract(html, SearchTextLength)
            : HtmlTextExtractor.CollapseWhitespace(text, SearchTextLength);
        search.Add(body);
        return search.ToString();
    }

    private static void AddRawWarnings(ReadOnlySpan<byte> raw, Envelope envelope, List<string> warnings)
    {
        if (raw.IsEmpty)
        {
            return;
        }

        var facts = RawMessageScanner.Scan(raw);
        if (facts.BareLineFeeds > 0)
        {
            warnings.Add($"{facts.BareLineFeeds} line(s) end in a bare LF without CR; RFC 5321 section 2.3.8 and RFC 5322 section 2.3 require CRLF.");
        }

        if (facts.BareCarriageReturns > 0)
        {
            warnings.Add($"{facts.BareCarriageReturns} bare CR(s) without LF found; RFC 5321 section 2.3.8 and RFC 5322 section 2.3 allow CR only in CRLF.");
        }

        if (facts.EightBitHeaders && !envelope.MailParameters.ContainsKey("SMTPUTF8"))
        {
            warnings.Add("The header section contains 8-bit bytes, but SMTPUTF8 was not used (RFC 6532 requires it; RFC 5322 headers are 7-bit).");
        }
    }

    private static string Shorten(string? text)
    {
        var trimmed = (text ?? "").Trim();
        var cut = trimmed.Length > 80 && char.IsHighSurrogate(trimmed[79]) ? 79 : 80;
        return trimmed.Length <= 80 ? trimmed : trimmed[..cut] + "...";
    }
}
