using MailSink.Domain;
using MimeKit;

namespace MailSink.Mime;

/// <summary>
/// The tags a message arrives with, as Mailpit gives them (internal/storage/messages.go): the names in its X-Tags
/// headers and the plus-address parts of its From, To, Cc and Bcc, each source switchable, cleaned by <see cref="TagNames"/>.
/// </summary>
internal sealed class MessageTagger(bool fromXTagsHeader, bool fromPlusAddresses)
{
    /// <summary>The tagger of both ingest paths (SMTP and the send API), from Smtp:TagsFromXTagsHeader and Smtp:TagsFromPlusAddresses.</summary>
    public static MessageTagger From(Options.SmtpOptions options) => new(options.TagsFromXTagsHeader, options.TagsFromPlusAddresses);

    public List<string> TagsOf(MimeMessage? parsed, MessageSummary summary)
    {
        var names = new List<string>();
        if (fromXTagsHeader && parsed is not null)
        {
            foreach (var header in parsed.Headers.Where(h => h.Field.Equals("X-Tags", StringComparison.OrdinalIgnoreCase)))
            {
                names.AddRange(TagNames.FromHeader(header.Value));
            }
        }

        if (fromPlusAddresses)
        {
            // Bcc also holds the envelope recipients no header names, so RCPT TO:<user+tag@...> tags too.
            var addresses = summary.To.Concat(summary.Cc).Concat(summary.Bcc).Append(summary.From);
            foreach (var address in addresses)
            {
                names.AddRange(TagNames.FromPlusAddress(address?.Address));
            }
        }

        return TagNames.Normalize(names);
    }
}
