using System.Net;
using System.Text.RegularExpressions;

namespace MailSink.Client;

public sealed partial record Message
{
    /// <summary>
    /// The links a reader could click, in document order without repeats: the <c>href</c> of every
    /// <c>&lt;a&gt;</c> and <c>&lt;area&gt;</c> in the HTML body (entities decoded, so <c>&amp;amp;</c> in a
    /// query string comes back as <c>&amp;</c>), or, for a text-only message, the http(s) URLs in the text.
    /// For "click the confirmation link" tests.
    /// </summary>
    public IReadOnlyList<string> Links()
    {
        var links = new List<string>();
        if (Html.Length > 0)
        {
            foreach (Match tag in AnchorTag().Matches(Html))
            {
                var href = HrefAttribute().Match(tag.Value);
                if (href.Success)
                {
                    var value = href.Groups["dq"].Success ? href.Groups["dq"].Value
                        : href.Groups["sq"].Success ? href.Groups["sq"].Value
                        : href.Groups["bare"].Value;
                    links.Add(WebUtility.HtmlDecode(value).Trim());
                }
            }
        }
        else
        {
            links.AddRange(TextUrl().Matches(Text).Select(m => m.Value.TrimEnd('.', ',', ';', ':', '!', '?', ')', ']', '>', '\'', '"')));
        }

        return links.Where(l => l.Length > 0).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The first link that contains <paramref name="fragment"/> (ordinal, case-insensitive), or null.</summary>
    public string? FindLink(string fragment) =>
        Links().FirstOrDefault(l => l.Contains(fragment, StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex(@"<(?:a|area)\b[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AnchorTag();

    [GeneratedRegex(@"\shref\s*=\s*(?:""(?<dq>[^""]*)""|'(?<sq>[^']*)'|(?<bare>[^\s>""']+))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HrefAttribute();

    [GeneratedRegex(@"https?://[^\s<>""]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TextUrl();
}
