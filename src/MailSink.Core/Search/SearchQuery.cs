using MailSink.Domain;

namespace MailSink.Search;

/// <summary>
/// A parsed Mailpit-style search: whitespace-separated terms that must all match. Plain words and
/// "quoted phrases" are case-insensitive substrings of <see cref="MessageSummary.SearchText"/>; filters are
/// Mailpit's (from:, to:, cc:, bcc:, reply-to:, addressed:, subject:, message-id:, tag:, is:, has:, larger:,
/// smaller:, before:, after:); a leading '-' or '!' negates any term. Immutable and safe to share between threads.
/// </summary>
internal sealed class SearchQuery
{
    private readonly (SearchTerm Term, string LowerValue)[] _compiled;

    private SearchQuery(string text, IReadOnlyList<SearchTerm> terms)
    {
        Text = text;
        Terms = terms;
        _compiled = terms.Select(t => (t, t.Value.ToLowerInvariant())).ToArray();
        Predicate = Matches;
    }

    /// <summary>The query that matches everything.</summary>
    public static SearchQuery Empty { get; } = new("", []);

    /// <summary>The query as given.</summary>
    public string Text { get; }

    /// <summary>The terms in the order written.</summary>
    public IReadOnlyList<SearchTerm> Terms { get; }

    /// <summary>True when there are no terms: everything matches.</summary>
    public bool IsEmpty => Terms.Count == 0;

    /// <summary><see cref="Matches"/> as a delegate, for LINQ.</summary>
    public Func<MessageSummary, bool> Predicate { get; }

    /// <summary>Parses <paramref name="query"/>; null or blank gives <see cref="Empty"/>.</summary>
    /// <param name="query">The query as typed.</param>
    /// <param name="zone">Where before: and after: dates without an offset are (Mailpit's tz); null is UTC.</param>
    /// <exception cref="SearchQueryException">A term has an unknown filter name, no value, a bad date or a bad size.</exception>
    public static SearchQuery Parse(string? query, TimeZoneInfo? zone = null)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return Empty;
        }

        var terms = SearchTokenizer.Tokenize(query).Select(t => SearchTermParser.Parse(t, zone ?? TimeZoneInfo.Utc)).ToArray();
        return new SearchQuery(query, terms);
    }

    /// <summary>True when every term matches <paramref name="message"/>.</summary>
    public bool Matches(MessageSummary message)
    {
        foreach (var (term, lowerValue) in _compiled)
        {
            if (!SearchTermMatcher.Matches(term, lowerValue, message))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => Text;
}
