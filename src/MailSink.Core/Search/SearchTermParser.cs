using System.Globalization;
using System.Text.RegularExpressions;

namespace MailSink.Search;

/// <summary>Gives each token its meaning, or says precisely why it has none.</summary>
internal static partial class SearchTermParser
{
    private const string KnownFilters =
        "from:, to:, cc:, bcc:, reply-to:, addressed:, subject:, message-id:, tag:, is:read, is:unread, is:tagged, "
        + "has:attachment, has:inline, larger:, smaller:, before:, after:";

    public static SearchTerm Parse(SearchToken token, TimeZoneInfo zone)
    {
        if (token.Filter is null)
        {
            return new SearchTerm(SearchField.Text, token.Value, token.Negated);
        }

        var filter = token.Filter;
        var value = token.Value.Trim();
        if (value.Length == 0)
        {
            throw new SearchQueryException(token.Original, $"\"{token.Original}\": the filter {filter}: needs a value, e.g. {Example(filter)}.");
        }

        return filter switch
        {
            "from" => new SearchTerm(SearchField.From, value, token.Negated),
            "to" => new SearchTerm(SearchField.To, value, token.Negated),
            "cc" => new SearchTerm(SearchField.Cc, value, token.Negated),
            "bcc" => new SearchTerm(SearchField.Bcc, value, token.Negated),
            "reply-to" => new SearchTerm(SearchField.ReplyTo, value, token.Negated),
            "addressed" => new SearchTerm(SearchField.Addressed, value, token.Negated),
            "subject" => new SearchTerm(SearchField.Subject, value, token.Negated),

            // Mailpit strips the angle brackets a Message-ID is written with; the stored ID has none.
            "message-id" => new SearchTerm(SearchField.MessageId, value.Trim('<', '>'), token.Negated),
            "tag" => new SearchTerm(SearchField.Tag, value, token.Negated),
            "is" => ParseIs(token, value),
            "has" => ParseHas(token, value),
            "before" => new SearchTerm(SearchField.Before, value, token.Negated, ParseInstant(token, value, zone)),
            "after" => new SearchTerm(SearchField.After, value, token.Negated, ParseInstant(token, value, zone)),
            "larger" => new SearchTerm(SearchField.Larger, value, token.Negated, Bytes: ParseSize(token, value)),
            "smaller" => new SearchTerm(SearchField.Smaller, value, token.Negated, Bytes: ParseSize(token, value)),
            _ => throw new SearchQueryException(token.Original, $"\"{token.Original}\": unknown filter \"{filter}:\". Known filters: {KnownFilters}. To search for the text itself, put it in double quotes."),
        };
    }

    private static SearchTerm ParseIs(SearchToken token, string value)
    {
        return value.ToLowerInvariant() switch
        {
            "read" => new SearchTerm(SearchField.IsRead, "", token.Negated),
            "unread" => new SearchTerm(SearchField.IsUnread, "", token.Negated),
            "tagged" => new SearchTerm(SearchField.IsTagged, "", token.Negated),
            _ => throw new SearchQueryException(token.Original, $"\"{token.Original}\": is: takes read, unread or tagged, not \"{value}\"."),
        };
    }

    private static SearchTerm ParseHas(SearchToken token, string value)
    {
        return value.ToLowerInvariant() switch
        {
            "attachment" or "attachments" => new SearchTerm(SearchField.HasAttachment, "", token.Negated),
            "inline" or "inlines" => new SearchTerm(SearchField.HasInline, "", token.Negated),
            _ => throw new SearchQueryException(token.Original, $"\"{token.Original}\": has: takes attachment or inline, not \"{value}\"."),
        };
    }

    /// <summary>
    /// Mailpit's sizeToBytes: a number, optionally with a fraction, then k/kb (KiB) or m/mb (MiB) in any case, or
    /// nothing (bytes). Zero is refused: Mailpit does not take it as a filter either.
    /// </summary>
    private static long ParseSize(SearchToken token, string value)
    {
        var match = Size().Match(value.ToLowerInvariant());
        if (match.Success
            && double.TryParse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            var bytes = match.Groups["unit"].Value switch
            {
                "" => number,
                "k" or "kb" => number * 1024,
                "m" or "mb" => number * 1024 * 1024,
                _ => 0,
            };
            if (bytes >= 1 && bytes < long.MaxValue)
            {
                return (long)bytes;
            }
        }

        throw new SearchQueryException(token.Original, $"\"{token.Original}\": \"{value}\" is not a size; use bytes or k/M (1024-based), e.g. {token.Filter}:500k or {token.Filter}:1.5M.");
    }

    /// <summary>
    /// A date, or a date and time, as ISO 8601 / RFC 3339 or a few common written forms. One with Z or an offset is
    /// that instant; one without is in <paramref name="zone"/> (the search's tz, UTC by default: the server's own
    /// zone means nothing in a container), so before:2024-05-31 is the start of that day there.
    /// </summary>
    private static DateTimeOffset ParseInstant(SearchToken token, string value, TimeZoneInfo zone)
    {
        if (WithOffset().IsMatch(value)
            && DateTimeOffset.TryParse(value.ToUpperInvariant(), CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var instant))
        {
            return instant;
        }

        if (DateTime.TryParseExact(value, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowInnerWhite, out var local))
        {
            local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
            return new DateTimeOffset(local, zone.GetUtcOffset(local));
        }

        throw new SearchQueryException(token.Original, $"\"{token.Original}\": \"{value}\" is not a date; use yyyy-MM-dd (e.g. 2024-05-31), a time such as 2024-05-31T14:00 (in the tz of the search, UTC by default) or RFC 3339 (e.g. 2024-05-31T14:00:00Z).");
    }

    private static readonly string[] LocalFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy/MM/dd", "yyyy/MM/dd HH:mm", "yyyy/MM/dd HH:mm:ss",
        "d MMM yyyy", "d MMMM yyyy", "MMM d yyyy", "MMMM d yyyy", "MMM d, yyyy", "MMMM d, yyyy",
    ];

    private static string Example(string filter) => filter switch
    {
        "is" => "is:unread",
        "has" => "has:attachment",
        "before" or "after" => filter + ":2024-05-31",
        "larger" or "smaller" => filter + ":500k",
        _ => filter + ":\"some text\"",
    };

    /// <summary>Ends in Z or a numeric offset (RFC 3339's +02:00, RFC 5322's +0200): a date-time that names its instant.</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?([Zz]|[+-]\d{2}:?\d{2})$|^[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}(:\d{2})? [+-]\d{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex WithOffset();

    [GeneratedRegex(@"^(?<number>\d+(\.\d+)?)\s?(?<unit>[a-z]{1,2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex Size();
}
