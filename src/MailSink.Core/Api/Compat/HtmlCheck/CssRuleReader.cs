using System.Text;

namespace MailSink.Api.Compat.HtmlCheck;

/// <summary>One declaration as written: the value keeps its text (no normalising of colours or shorthands).</summary>
internal sealed record CssDeclaration(string Property, string Value, bool Important);

/// <summary>A top-level style rule: its selector list as written and its declarations.</summary>
internal sealed record CssStyleRule(string Selectors, IReadOnlyList<CssDeclaration> Declarations);

/// <summary>
/// A small CSS reader for inlining style sheets the way Mailpit's premailer does: top-level style rules with their
/// declarations kept as written. At-rules (@media, @font-face, ...) are skipped: premailer leaves them in a style
/// block instead of inlining them. A full CSS object model would rewrite values (colours to rgba(), shorthands to
/// longhands), which would change what the checks find in the inlined text.
/// </summary>
internal static class CssRuleReader
{
    public static IReadOnlyList<CssStyleRule> ReadRules(string css)
    {
        var text = StripComments(css);
        var rules = new List<CssStyleRule>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) || c == ';')
            {
                i++;
            }
            else if (text.AsSpan(i).StartsWith("<!--") || text.AsSpan(i).StartsWith("-->"))
            {
                i += text[i] == '<' ? 4 : 3;
            }
            else if (c == '@')
            {
                i = SkipAtRule(text, i);
            }
            else
            {
                var open = IndexOutside(text, i, '{');
                if (open < 0)
                {
                    break;
                }

                var close = MatchingBrace(text, open);
                var selectors = text[i..open].Trim();
                var block = text[(open + 1)..Math.Min(close, text.Length)];
                if (selectors.Length > 0)
                {
                    rules.Add(new CssStyleRule(selectors, ReadDeclarations(block)));
                }

                i = close + 1;
            }
        }

        return rules;
    }

    /// <summary>The declarations of a block or a style attribute; "!important" is taken off the value and flagged.</summary>
    public static IReadOnlyList<CssDeclaration> ReadDeclarations(string block)
    {
        var declarations = new List<CssDeclaration>();
        foreach (var part in SplitOutside(StripComments(block), ';'))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var property = part[..colon].Trim();
            var value = part[(colon + 1)..].Trim();
            var important = false;
            var bang = value.LastIndexOf('!');
            if (bang >= 0 && value[(bang + 1)..].Trim().Equals("important", StringComparison.OrdinalIgnoreCase))
            {
                important = true;
                value = value[..bang].TrimEnd();
            }

            if (property.Length > 0 && value.Length > 0)
            {
                declarations.Add(new CssDeclaration(property, value, important));
            }
        }

        return declarations;
    }

    private static string StripComments(string css)
    {
        var sb = new StringBuilder(css.Length);
        for (var i = 0; i < css.Length; i++)
        {
            if (css[i] == '/' && i + 1 < css.Length && css[i + 1] == '*')
            {
                var end = css.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? css.Length : end + 1;
                continue;
            }

            sb.Append(css[i]);
        }

        return sb.ToString();
    }

    // An at-rule ends at its first top-level ';' or with its balanced block, whichever comes first.
    private static int SkipAtRule(string text, int start)
    {
        var semicolon = IndexOutside(text, start, ';');
        var open = IndexOutside(text, start, '{');
        if (open >= 0 && (semicolon < 0 || open < semicolon))
        {
            return MatchingBrace(text, open) + 1;
        }

        return semicolon < 0 ? text.Length : semicolon + 1;
    }

    private static int MatchingBrace(string text, int open)
    {
        var depth = 0;
        char quote = '\0';
        for (var i = open; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == '\\') { i++; }
                else if (c == quote) { quote = '\0'; }
            }
            else if (c is '"' or '\'') { quote = c; }
            else if (c == '{') { depth++; }
            else if (c == '}' && --depth == 0) { return i; }
        }

        return text.Length;
    }

    private static int IndexOutside(string text, int start, char wanted)
    {
        char quote = '\0';
        var parens = 0;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == '\\') { i++; }
                else if (c == quote) { quote = '\0'; }
            }
            else if (c is '"' or '\'') { quote = c; }
            else if (c == '(') { parens++; }
            else if (c == ')' && parens > 0) { parens--; }
            else if (c == wanted && parens == 0) { return i; }
        }

        return -1;
    }

    private static List<string> SplitOutside(string text, char separator)
    {
        var parts = new List<string>();
        var start = 0;
        while (start <= text.Length)
        {
            var at = IndexOutside(text, start, separator);
            var end = at < 0 ? text.Length : at;
            parts.Add(text[start..end]);
            start = end + 1;
        }

        return parts;
    }
}
