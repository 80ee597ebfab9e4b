using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace MailSink.Api.Compat.HtmlCheck;

/// <summary>
/// Mailpit's HTML check (internal/htmlcheck RunTests): finds the caniemail.com features a message's HTML uses and
/// scores how well email clients support them. HTML features by element and attribute, image formats by img src, CSS
/// by the style attributes after inlining the &lt;style&gt; rules, and at-rules, pseudo classes and units by pattern.
/// The total weighs each warning by how often it occurs per HTML node and keeps the worst partial and unsupported.
/// Offline by design: unlike Mailpit, stylesheets the message links to are never fetched (the HTML is untrusted content).
/// </summary>
internal sealed partial class HtmlChecker(FeatureWarnings warnings)
{
    public static HtmlChecker Default { get; } = new(FeatureWarnings.Default);

    public HtmlCheckResponse Check(string html)
    {
        var parser = new HtmlParser();
        var document = parser.ParseDocument(html);

        // Mailpit's crude test for a full document: with a </body>, every element but html, head and meta counts.
        var hasBody = BodyEnd().IsMatch(html);
        var nodes = document.QuerySelectorAll(hasBody ? "*:not(html):not(head):not(meta), script" : "body *, script").Length;

        var found = new List<HtmlCheckWarning>();
        var tests = CheckHtml(document, hasBody, found);

        var inlined = parser.ParseDocument(html);
        StyleInliner.Inline(inlined);
        tests += CheckInlineCss(inlined, found);
        tests += CheckStyleSheets(document, found);

        // Supported is what is left after the worst weighted partial and the worst weighted unsupported warning.
        var perNode = (float)Math.Max(nodes, 1); // Mailpit would divide by zero for HTML without elements
        float partial = 0, unsupported = 0;
        foreach (var warning in found.Where(w => w.Score.Found > 0))
        {
            partial = Math.Max(partial, warning.Score.Partial * warning.Score.Found / perNode);
            unsupported = Math.Max(unsupported, warning.Score.Unsupported * warning.Score.Found / perNode);
        }

        var sorted = found.OrderByDescending(w => (w.Score.Unsupported + w.Score.Partial) * w.Score.Found / perNode).ToList();
        var total = new HtmlCheckTotal(tests, nodes, 100 - partial - unsupported, partial, unsupported);
        return new HtmlCheckResponse(sorted, warnings.Platforms(), total);
    }

    private int CheckHtml(IDocument document, bool hasBody, List<HtmlCheckWarning> found)
    {
        var tests = 0;
        var scripts = document.QuerySelectorAll("script:not([type=\"application/ld+json\"]):not([type=\"application/json\"])").Length;
        if (scripts > 0)
        {
            found.Add(new HtmlCheckWarning(
                "html-script", "<script> element", "JavaScript is not supported in any email client.", string.Empty, "html",
                [], string.Empty, [], new Dictionary<string, string>(), new HtmlCheckScore(scripts, 0, 0, 100)));
            tests++;
        }

        foreach (var (slug, selector) in HtmlCheckRules.HtmlElements)
        {
            tests++;
            if (slug == "html-body")
            {
                Add(found, slug, hasBody ? 1 : 0);
                continue;
            }

            var count = document.QuerySelectorAll(selector).Length;
            if (count > 0)
            {
                tests++; // Mailpit counts a found HTML feature twice in Tests
                Add(found, slug, count);
            }
        }

        tests += HtmlCheckRules.ImageSources.Count;
        var images = new OrderedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var image in document.QuerySelectorAll("img[src]"))
        {
            var src = image.GetAttribute("src") ?? string.Empty;
            foreach (var (slug, pattern) in HtmlCheckRules.ImageSources.Where(t => t.Pattern.IsMatch(src)))
            {
                images[slug] = images.GetValueOrDefault(slug) + 1;
            }
        }

        foreach (var (slug, count) in images)
        {
            Add(found, slug, count);
        }

        return tests;
    }

    private int CheckInlineCss(IDocument inlined, List<HtmlCheckWarning> found)
    {
        var styles = inlined.QuerySelectorAll("[style]").Select(e => e.GetAttribute("style") ?? string.Empty).ToList();
        var matches = new OrderedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var style in styles)
        {
            foreach (var (slug, pattern) in HtmlCheckRules.InlineStyles.Where(t => t.Pattern.IsMatch(style)))
            {
                matches[slug] = matches.GetValueOrDefault(slug) + 1;
            }
        }

        // An attribute such as bgcolor or width counts once, however many elements carry it (as in Mailpit).
        foreach (var (slug, selector) in HtmlCheckRules.StyleAttributes.Where(t => inlined.QuerySelector(t.Selector) is not null))
        {
            matches[slug] = matches.GetValueOrDefault(slug) + 1;
        }

        foreach (var (slug, count) in matches)
        {
            Add(found, slug, count);
        }

        foreach (var (slug, pattern) in HtmlCheckRules.UnitPatterns)
        {
            Add(found, slug, styles.Sum(s => pattern.Count(s)));
        }

        return HtmlCheckRules.InlineStyles.Count + HtmlCheckRules.StyleAttributes.Count + HtmlCheckRules.UnitPatterns.Count;
    }

    private int CheckStyleSheets(IDocument document, List<HtmlCheckWarning> found)
    {
        var css = new StringBuilder();
        foreach (var style in document.QuerySelectorAll("style"))
        {
            css.Append(style.TextContent);
        }

        var code = css.ToString();
        foreach (var (slug, pattern) in HtmlCheckRules.StyleSheetPatterns)
        {
            Add(found, slug, pattern.Count(code));
        }

        return HtmlCheckRules.StyleSheetPatterns.Count;
    }

    // A slug the vendored data does not have (css-margin-inline, image-ppm in caniemail 2.0.2) is left out; Mailpit
    // would drop the inline one and fail the whole check on the others.
    private void Add(List<HtmlCheckWarning> found, string slug, int count)
    {
        if (count > 0 && warnings.For(slug, count) is { } warning)
        {
            found.Add(warning);
        }
    }

    [GeneratedRegex("</body>", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex BodyEnd();
}
