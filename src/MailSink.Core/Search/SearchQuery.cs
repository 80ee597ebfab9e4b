using MailSink.Domain;

namespace MailSink.Search;

/// <summary>
/// A parsed Mailpit-style search: whitespace-separated terms that must all match. Plain words and
/// "quoted phrases" are case-insensitive substrings of <see cref="MessageSummary.SearchText"/>; filters
/// are from:, to:, subject:, is:read, is:unread, has:attachment, before:, after: and tag:; a leading '-'
/// negates any term. Immutable and safe to share between threads.
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
    /// <exception cref="SearchQueryException">A term has an unknown filter name, no value, or a bad date.</exception>
    public static SearchQuery Parse(string? query)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return Empty;
        }

        var terms = SearchTokenizer.Tokenize(query).Select(SearchTermParser.Parse).ToArray();
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
