using MailSink.Domain;

namespace MailSink.Search;

/// <summary>Evaluates one term against a summary. All comparisons are case-insensitive.</summary>
internal static class SearchTermMatcher
{
    public static bool Matches(SearchTerm term, string lowerValue, MessageSummary m)
    {
        var hit = term.Field switch
        {
            // SearchText is lower-cased at ingest (invariant culture), so an ordinal search suffices.
            SearchField.Text => m.SearchText.Contains(lowerValue, StringComparison.Ordinal),
            SearchField.From => Contains(m.From, term.Value) || Contains(m.Envelope.MailFrom, term.Value),
            SearchField.To => m.To.Concat(m.Cc).Concat(m.Bcc).Any(a => Contains(a, term.Value))
                || m.Envelope.RcptTo.Any(r => Contains(r, term.Value)),
            SearchField.Cc => m.Cc.Any(a => Contains(a, term.Value)),
            SearchField.Bcc => m.Bcc.Any(a => Contains(a, term.Value)),
            SearchField.ReplyTo => m.ReplyTo.Any(a => Contains(a, term.Value)),
            SearchField.Addressed => Contains(m.From, term.Value)
                || m.To.Concat(m.Cc).Concat(m.Bcc).Concat(m.ReplyTo).Any(a => Contains(a, term.Value))
                || Contains(m.Envelope.MailFrom, term.Value)
                || m.Envelope.RcptTo.Any(r => Contains(r, term.Value)),
            SearchField.Subject => Contains(m.Subject, term.Value),
            SearchField.MessageId => Contains(m.MessageId, term.Value),
            SearchField.IsRead => m.Read,
            SearchField.IsUnread => !m.Read,
            SearchField.IsTagged => m.Tags.Count > 0,
            SearchField.HasAttachment => m.Attachments.Count > 0,
            SearchField.HasInline => m.Inlines.Count > 0,
            SearchField.Before => m.ReceivedAt <= term.Instant,
            SearchField.After => m.ReceivedAt >= term.Instant,
            SearchField.Larger => m.Size > term.Bytes,
            SearchField.Smaller => m.Size < term.Bytes,
            SearchField.Tag => m.Tags.Any(t => t.Equals(term.Value, StringComparison.OrdinalIgnoreCase)),
            _ => false,
        };

        return hit != term.Negated;
    }

    private static bool Contains(EmailAddress? address, string value) =>
        address is not null && (Contains(address.Name, value) || Contains(address.Address, value));

    private static bool Contains(string? text, string value) =>
        text is not null && text.Contains(value, StringComparison.OrdinalIgnoreCase);
}
