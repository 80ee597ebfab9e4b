namespace MailSink.Mime;

/// <summary>
/// Splits the clause part of a Received value (before the date) into words and comments following
/// RFC 5322 section 3.2.2: comments nest and may contain quoted-pairs, and may appear anywhere.
/// </summary>
internal static class ReceivedTokenizer
{
    /// <summary>Index of the ';' that starts the date: the last one outside comments and quotes, or -1.</summary>
    public static int FindDateSeparator(string value)
    {
        var depth = 0;
        var quoted = false;
        var last = -1;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\')
            {
                i++;
            }
            else if (quoted)
            {
                quoted = c != '"';
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && depth > 0)
            {
                depth--;
            }
            else if (c == ';' && depth == 0)
            {
                last = i;
            }
        }

        return last;
    }

    /// <summary>Tokenizes <paramref name="clauses"/>; <paramref name="balanced"/> is false when a comment never closes.</summary>
    public static List<ReceivedToken> Tokenize(string clauses, out bool balanced)
    {
        var tokens = new List<ReceivedToken>();
        balanced = true;
        var i = 0;
        while (i < clauses.Length)
        {
            var c = clauses[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '(')
            {
                var end = CommentEnd(clauses, i);
                if (end < 0)
                {
                    balanced = false;
                    tokens.Add(new ReceivedToken(clauses[(i + 1)..].Trim(), true));
                    break;
                }

                tokens.Add(new ReceivedToken(clauses[(i + 1)..end].Trim(), true));
                i = end + 1;
            }
            else
            {
                var end = WordEnd(clauses, i);
                tokens.Add(new ReceivedToken(clauses[i..end], false));
                i = end;
            }
        }

        return tokens;
    }

    private static int CommentEnd(string s, int open)
    {
        var depth = 0;
        for (var i = open; i < s.Length; i++)
        {
            switch (s[i])
            {
                case '\\':
                    i++;
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    if (--depth == 0)
                    {
                        return i;
                    }

                    break;
            }
        }

        return -1;
    }

    private static int WordEnd(string s, int start)
    {
        // Brackets and quotes group what would otherwise split: "[IPv6:2001:db8::1]", "<a b@x>", "\"x y\"".
        var closer = s[start] switch
        {
            '<' => '>',
            '[' => ']',
            '"' => '"',
            _ => '\0',
        };
        if (closer != '\0')
        {
            var close = s.IndexOf(closer, start + 1);
            if (close >= 0)
            {
                return close + 1;
            }
        }

        var i = start;
        while (i < s.Length && !char.IsWhiteSpace(s[i]) && s[i] != '(')
        {
            i++;
        }

        return Math.Max(i, start + 1);
    }
}
