using System.Text.RegularExpressions;
using MailSink.Domain;
using MimeKit;
using MimeKit.Utils;

namespace MailSink.Mime;

/// <summary>
/// Parses Received headers (RFC 5321 section 4.4, RFC 5322 section 3.6.7):
/// <c>from &lt;domain&gt; (&lt;TCP-info&gt;) by &lt;domain&gt; via &lt;link&gt; with &lt;protocol&gt; id &lt;id&gt; for &lt;path&gt; ; &lt;date-time&gt;</c>.
/// Real servers put clauses in any order, use several words where the grammar says one (Exchange's
/// "with Microsoft SMTP Server"), and write comments anywhere, so this is a tolerant keyword scanner,
/// not a grammar. It never throws: what it cannot read it keeps in <see cref="ReceivedHop.Raw"/> with a note.
/// </summary>
internal static partial class ReceivedChainParser
{
    private static readonly string[] Keywords = ["from", "by", "via", "with", "id", "for", "tls"];

    /// <summary>
    /// Protocol names that mean the hop used TLS: RFC 3848 and RFC 6531 section 3.7.4 registrations, plus
    /// Gmail's unregistered "SMTPS".
    /// </summary>
    private static readonly HashSet<string> TlsProtocols = new(StringComparer.OrdinalIgnoreCase)
    {
        "ESMTPS", "ESMTPSA", "UTF8SMTPS", "UTF8SMTPSA", "LMTPS", "LMTPSA", "UTF8LMTPS", "UTF8LMTPSA", "SMTPS",
    };

    /// <summary>
    /// Parses the values of every Received header, top (newest) first, and fills
    /// <see cref="ReceivedHop.DelaySeconds"/> as this hop's date minus the next older hop's date.
    /// </summary>
    public static List<ReceivedHop> Parse(IEnumerable<string> values)
    {
        var hops = values.Select((value, index) => ParseHop(value, index)).ToList();
        for (var i = 0; i < hops.Count - 1; i++)
        {
            if (hops[i].Date is { } newer && hops[i + 1].Date is { } older)
            {
                hops[i].DelaySeconds = (newer - older).TotalSeconds;
            }
        }

        return hops;
    }

    /// <summary>Parses one Received header value (folded or not) into a hop with the given index.</summary>
    public static ReceivedHop ParseHop(string value, int index)
    {
        var raw = Unfold(value);
        var hop = new ReceivedHop { Index = index, Raw = raw };
        var notes = new List<string>();

        var separator = ReceivedTokenizer.FindDateSeparator(raw);
        var clauses = separator < 0 ? raw : raw[..separator];
        if (separator < 0)
        {
            notes.Add("no ';' before a date-time (RFC 5322 section 3.6.7 requires one)");
        }
        else
        {
            var dateText = raw[(separator + 1)..].Trim();
            if (DateUtils.TryParse(dateText, out var date))
            {
                hop.Date = date;
            }
            else
            {
                notes.Add($"the date-time \"{Shorten(dateText)}\" could not be parsed");
            }
        }

        var tokens = ReceivedTokenizer.Tokenize(clauses, out var balanced);
        if (!balanced)
        {
            notes.Add("a comment's '(' is never closed");
        }

        FillClauses(hop, tokens);
        if (hop.From is null && hop.By is null && hop.With is null && hop.Id is null)
        {
            notes.Add(tokens.Count > 0 && tokens.All(t => t.IsComment)
                ? "only a comment, no from/by clauses (qmail writes these)"
                : "no from, by, with or id clause found");
        }

        hop.Note = notes.Count == 0 ? null : "Could not fully parse this Received header: " + string.Join("; ", notes) + ".";
        return hop;
    }

    internal static List<ReceivedHop> Parse(HeaderList headers)
    {
        var values = headers.Where(h => h.Id == HeaderId.Received).Select(h => HeaderText.FromRaw(h.RawValue));
        return Parse(values);
    }

    private static void FillClauses(ReceivedHop hop, List<ReceivedToken> tokens)
    {
        var words = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var comments = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var tls = new List<string>();
        var current = "";

        foreach (var token in tokens)
        {
            if (token.IsComment)
            {
                if (LooksLikeTls(token.Text))
                {
                    tls.Add(token.Text);
                }
                else
                {
                    GetList(comments, current).Add("(" + token.Text + ")");
                }

                continue;
            }

            var keyword = Array.Find(Keywords, k => k.Equals(token.Text, StringComparison.OrdinalIgnoreCase));
            if (keyword is not null && !words.ContainsKey(keyword))
            {
                current = keyword;
                words[keyword] = [];
                continue;
            }

            GetList(words, current).Add(token.Text);
        }

        hop.From = Join(words, "from", comments);
        hop.By = Join(words, "by", comments);
        hop.Via = Join(words, "via", null);
        hop.With = Join(words, "with", null);
        hop.Id = Join(words, "id", null);
        hop.For = Join(words, "for", null)?.Trim('<', '>');

        // Exim writes "with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384"; the "tls" word is its own clause.
        if (Join(words, "tls", null) is { } eximCipher)
        {
            tls.Add(eximCipher);
        }

        if (tls.Count == 0 && hop.With is { } with && TlsProtocols.Contains(with.Split(' ')[0]))
        {
            tls.Add($"{with.Split(' ')[0]} (the protocol name says TLS was used)");
        }

        hop.Tls = tls.Count == 0 ? null : string.Join("; ", tls);
    }

    private static bool LooksLikeTls(string comment) => TlsComment().IsMatch(comment);

    private static string? Join(Dictionary<string, List<string>> words, string keyword, Dictionary<string, List<string>>? comments)
    {
        var parts = new List<string>();
        if (words.TryGetValue(keyword, out var clauseWords))
        {
            parts.AddRange(clauseWords);
        }
        else
        {
            return null;
        }

        if (comments is not null && comments.TryGetValue(keyword, out var clauseComments))
        {
            parts.AddRange(clauseComments);
        }

        return parts.Count == 0 ? null : string.Join(' ', parts);
    }

    private static List<string> GetList(Dictionary<string, List<string>> map, string key)
    {
        if (!map.TryGetValue(key, out var list))
        {
            list = [];
            map[key] = list;
        }

        return list;
    }

    /// <summary>RFC 5322 section 2.2.3: unfolding removes each CRLF that is followed by white space.</summary>
    private static string Unfold(string value)
    {
        return FoldingBreak().Replace(value, "").Replace('\r', ' ').Replace('\n', ' ').Trim();
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";

    [GeneratedRegex(@"\r?\n(?=[ \t])")]
    private static partial Regex FoldingBreak();

    // Gmail/Sendmail "version=TLS1_3 cipher=...", Exchange "version=TLS1_2, cipher=...",
    // Postfix "using TLSv1.3 with cipher ...", Exim "TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256".
    [GeneratedRegex(@"version\s*=\s*(TLS|SSL)|cipher\s*=|\busing\s+(TLS|SSL)|^(TLS|SSL)v?\d", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TlsComment();
}
