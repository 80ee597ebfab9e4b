using System.Globalization;
using System.Text.RegularExpressions;

namespace MailSink.Search;

/// <summary>Gives each token its meaning, or says precisely why it has none.</summary>
internal static partial class SearchTermParser
{
    private const string KnownFilters = "from:, to:, subject:, is:read, is:unread, has:attachment, before:, after:, tag:";

    public static SearchTerm Parse(SearchToken token)
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
            "subject" => new SearchTerm(SearchField.Subject, value, token.Negated),
            "tag" => new SearchTerm(SearchField.Tag, value, token.Negated),
            "is" => ParseIs(token, value),
            "has" => ParseHas(token, value),
            "before" => new SearchTerm(SearchField.Before, value, token.Negated, ParseInstant(token, value)),
            "after" => new SearchTerm(SearchField.After, value, token.Negated, ParseInstant(token, value)),
            _ => throw new SearchQueryException(token.Original, $"\"{token.Original}\": unknown filter \"{filter}:\". Known filters: {KnownFilters}. To search for the text itself, put it in double quotes."),
        };
    }

    private static SearchTerm ParseIs(SearchToken token, string value)
    {
        return value.ToLowerInvariant() switch
        {
            "read" => new SearchTerm(SearchField.IsRead, "", token.Negated),
            "unread" => new SearchTerm(SearchField.IsUnread, "", token.Negated),
            _ => throw new SearchQueryException(token.Original, $"\"{token.Original}\": is: takes read or unread, not \"{value}\"."),
        };
    }

    private static SearchTerm ParseHas(SearchToken token, string value)
    {
        return value.ToLowerInvariant() switch
        {
            "attachment" or "attachments" => new SearchTerm(SearchField.HasAttachment, "", token.Negated),
            _ => throw new SearchQueryException(token.Original, $"\"{token.Original}\": has: takes attachment, not \"{value}\"."),
        };
    }

    /// <summary>
    /// A bare date (yyyy-MM-dd) is midnight UTC: the server's local zone is meaningless in a container.
    /// Otherwise RFC 3339 section 5.6 date-time, which must carry Z or an offset.
    /// </summary>
    private static DateTimeOffset ParseInstant(SearchToken token, string value)
    {
        if (DateTimeOffset.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            return date;
        }

        if (Rfc3339().IsMatch(value)
            && DateTimeOffset.TryParse(value.ToUpperInvariant(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            return instant;
        }

        throw new SearchQueryException(token.Original, $"\"{token.Original}\": \"{value}\" is not a date; use yyyy-MM-dd (e.g. 2024-05-31) or RFC 3339 (e.g. 2024-05-31T14:00:00Z).");
    }

    private static string Example(string filter) => filter switch
    {
        "is" => "is:unread",
        "has" => "has:attachment",
        "before" or "after" => filter + ":2024-05-31",
        _ => filter + ":\"some text\"",
    };

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
