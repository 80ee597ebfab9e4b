namespace MailSink.Search;

/// <summary>One whitespace-separated piece of a query before it is given a meaning.</summary>
/// <param name="Original">The term as written, for error messages.</param>
/// <param name="Negated">A leading '-' or '!' (Mailpit takes both).</param>
/// <param name="Filter">The lower-cased name before ':' (e.g. "from"), or null for a plain word or phrase.</param>
/// <param name="Value">The word, the phrase without quotes, or the filter value without quotes.</param>
internal readonly record struct SearchToken(string Original, bool Negated, string? Filter, string Value);

/// <summary>
/// Splits a Mailpit-style query: whitespace separates terms except inside double quotes; a term is
/// <c>[-]word</c>, <c>[-]"a phrase"</c> or <c>[-]name:value</c> / <c>[-]name:"a value"</c>, with '!' for '-' too.
/// A ':' only starts a filter after a name of letters and inner hyphens (reply-to, message-id) and not before "//",
/// so "12:30" and URLs stay words.
/// </summary>
internal static class SearchTokenizer
{
    public static List<SearchToken> Tokenize(string query)
    {
        var tokens = new List<SearchToken>();
        var i = 0;
        while (i < query.Length)
        {
            if (char.IsWhiteSpace(query[i]))
            {
                i++;
                continue;
            }

            var start = i;
            var negated = query[i] is '-' or '!' && i + 1 < query.Length && !char.IsWhiteSpace(query[i + 1]);
            if (negated)
            {
                i++;
            }

            string? filter = null;
            var nameEnd = i;
            while (nameEnd < query.Length && (char.IsAsciiLetter(query[nameEnd]) || (query[nameEnd] == '-' && nameEnd > i)))
            {
                nameEnd++;
            }

            if (nameEnd > i && nameEnd < query.Length && query[nameEnd] == ':' && string.CompareOrdinal(query, nameEnd + 1, "//", 0, 2) != 0)
            {
                filter = query[i..nameEnd].ToLowerInvariant();
                i = nameEnd + 1;
            }

            var value = ReadValue(query, ref i);
            tokens.Add(new SearchToken(query[start..i], negated, filter, value));
        }

        return tokens;
    }

    private static string ReadValue(string query, ref int i)
    {
        if (i < query.Length && query[i] == '"')
        {
            // An unterminated quote runs to the end of the query: forgiving, and what people mean.
            var close = query.IndexOf('"', i + 1);
            var end = close < 0 ? query.Length : close;
            var phrase = query[(i + 1)..end];
            i = close < 0 ? query.Length : close + 1;
            return phrase;
        }

        var start = i;
        while (i < query.Length && !char.IsWhiteSpace(query[i]))
        {
            i++;
        }

        return query[start..i];
    }
}
