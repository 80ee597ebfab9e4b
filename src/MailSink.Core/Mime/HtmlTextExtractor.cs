using System.Net;
using System.Text;

namespace MailSink.Mime;

/// <summary>
/// Turns HTML into searchable, snippet-able text: drops tags, comments, and the contents of script and
/// style elements, decodes entities and collapses whitespace. Not a sanitizer: its output is never HTML.
/// </summary>
internal static class HtmlTextExtractor
{
    private static readonly HashSet<string> BlockTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "address", "article", "aside", "blockquote", "body", "br", "dd", "div", "dl", "dt", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "img", "li", "main", "nav", "ol",
        "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul",
    };

    public static string Extract(string html, int maxChars)
    {
        var text = new StringBuilder(Math.Min(html.Length, maxChars * 2));
        var i = 0;
        while (i < html.Length && text.Length < maxChars * 2)
        {
            var c = html[i];
            if (c != '<')
            {
                text.Append(c);
                i++;
                continue;
            }

            if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
            {
                i = SkipPast(html, i + 4, "-->");
                continue;
            }

            var name = TagName(html, i + 1);
            var tagEnd = html.IndexOf('>', i + 1);
            i = tagEnd < 0 ? html.Length : tagEnd + 1;

            if (name.Equals("script", StringComparison.OrdinalIgnoreCase) || name.Equals("style", StringComparison.OrdinalIgnoreCase))
            {
                var close = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                i = close < 0 ? html.Length : SkipPast(html, close, ">");
            }

            if (BlockTags.Contains(name.TrimStart('/')))
            {
                text.Append(' ');
            }
        }

        return CollapseWhitespace(WebUtility.HtmlDecode(text.ToString()), maxChars);
    }

    /// <summary>Replaces every run of whitespace with one space, trims, and cuts at <paramref name="maxChars"/>.</summary>
    public static string CollapseWhitespace(string text, int maxChars)
    {
        var result = new StringBuilder(Math.Min(text.Length, maxChars));
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (result.Length >= maxChars)
            {
                break;
            }

            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = result.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                result.Append(' ');
                pendingSpace = false;
            }

            result.Append(c);
        }

        // A cut after the first half of a surrogate pair leaves invalid UTF-16 that LiteDB refuses to store.
        if (result.Length > 0 && char.IsHighSurrogate(result[^1]))
        {
            result.Length--;
        }

        return result.ToString();
    }

    private static int SkipPast(string html, int from, string marker)
    {
        var at = html.IndexOf(marker, from, StringComparison.Ordinal);
        return at < 0 ? html.Length : at + marker.Length;
    }

    private static string TagName(string html, int from)
    {
        var end = from;
        if (end < html.Length && html[end] == '/')
        {
            end++;
        }

        while (end < html.Length && char.IsAsciiLetterOrDigit(html[end]))
        {
            end++;
        }

        return html[from..end];
    }
}
