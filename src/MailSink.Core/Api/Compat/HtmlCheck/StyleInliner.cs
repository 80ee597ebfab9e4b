using System.Text.RegularExpressions;
using AngleSharp.Dom;

namespace MailSink.Api.Compat.HtmlCheck;

/// <summary>
/// Merges the &lt;style&gt; rules into style attributes as Mailpit's premailer (go-premailer, KeepBangImportant,
/// CssToAttributes) does before its inline CSS checks: rules in specificity order, "!important" ones last and kept,
/// then the element's own style; one "property:value" per property, the last winning; width/height in px (or 0)
/// also become attributes. Rules with pseudo classes, "*" or at-rules are not inlined (premailer keeps them in a
/// style block, where the style-sheet checks see them). Works on the given document in place.
/// </summary>
internal static partial class StyleInliner
{
    public static void Inline(IDocument document)
    {
        var rules = CollectRules(document);
        var elements = new Dictionary<IElement, List<InlineRule>>();
        var order = new List<IElement>();
        foreach (var rule in rules)
        {
            foreach (var element in Select(document, rule.Selector))
            {
                if (!elements.TryGetValue(element, out var list))
                {
                    elements[element] = list = [];
                    order.Add(element);
                }

                list.Add(rule);
            }
        }

        foreach (var element in order)
        {
            Apply(element, elements[element]);
        }
    }

    private static List<InlineRule> CollectRules(IDocument document)
    {
        var rules = new List<InlineRule>();
        var sheetIndex = 0;
        var ruleIndex = 0;
        foreach (var style in document.QuerySelectorAll("style").ToList())
        {
            if (style.GetAttribute("data-premailer") == "ignore" || (style.GetAttribute("media") is { } media && media != "all"))
            {
                continue;
            }

            var sheet = CssRuleReader.ReadRules(style.TextContent);
            style.Remove();
            foreach (var rule in sheet)
            {
                var normal = rule.Declarations.Where(d => !d.Important).ToList();
                var important = rule.Declarations.Where(d => d.Important).ToList();
                foreach (var raw in rule.Selectors.Split(','))
                {
                    var selector = raw.Trim();
                    if (selector.Length == 0 || Unmergeable().IsMatch(selector) || NotSupported().IsMatch(selector) || selector.Contains('*', StringComparison.Ordinal))
                    {
                        continue;
                    }

                    if (normal.Count > 0)
                    {
                        rules.Add(new InlineRule(false, Specificity.Of(selector), sheetIndex, ruleIndex++, selector, normal));
                    }

                    if (important.Count > 0)
                    {
                        rules.Add(new InlineRule(true, Specificity.Of(selector), sheetIndex, ruleIndex++, selector, important));
                    }
                }
            }

            sheetIndex++;
        }

        return [.. rules.OrderBy(r => r.Important).ThenBy(r => r.Specificity).ThenBy(r => r.Sheet).ThenBy(r => r.Index)];
    }

    // A selector the engine cannot read matches nothing, as in premailer.
    private static List<IElement> Select(IDocument document, string selector)
    {
        try
        {
            return document.QuerySelectorAll(selector).ToList();
        }
        catch (DomException)
        {
            return [];
        }
    }

    private static void Apply(IElement element, List<InlineRule> rules)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var orders = new List<string>();
        foreach (var declaration in rules.SelectMany(r => r.Declarations))
        {
            values[declaration.Property] = declaration.Important ? declaration.Value + " !important" : declaration.Value;
            orders.Add(declaration.Property);
        }

        // The element's own style comes last and wins; premailer drops its "!important" when re-writing it.
        foreach (var declaration in CssRuleReader.ReadDeclarations(element.GetAttribute("style") ?? string.Empty))
        {
            values[declaration.Property] = declaration.Value;
            orders.Add(declaration.Property);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var properties = new List<string>();
        for (var i = orders.Count - 1; i >= 0; i--)
        {
            if (seen.Add(orders[i]))
            {
                properties.Add(orders[i]);
            }
        }

        properties.Reverse();
        foreach (var property in properties)
        {
            ToAttribute(element, property, values[property]);
        }

        var style = string.Join(';', properties.Select(p => $"{p}:{values[p]}"));
        if (style.Length > 0)
        {
            element.SetAttribute("style", style);
        }
    }

    private static void ToAttribute(IElement element, string property, string value)
    {
        if (property is not ("width" or "height"))
        {
            return;
        }

        value = value.Replace(" !important", string.Empty, StringComparison.Ordinal);
        if (value.EndsWith("px", StringComparison.Ordinal))
        {
            element.SetAttribute(property, value[..^2]);
        }
        else if (value == "0")
        {
            element.SetAttribute(property, value);
        }
    }

    [GeneratedRegex(@"\:{1,2}(visited|active|hover|focus|link|root|in-range|invalid|valid|after|before|selection|target|first\-(line|letter))|^\@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Unmergeable();

    [GeneratedRegex(@"\:(checked|disabled|enabled|lang)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NotSupported();

    [GeneratedRegex(@"(^|\s)\w", RegexOptions.CultureInvariant)]
    private static partial Regex TypeSelector();

    /// <summary>premailer's rough specificity: it counts '#', '.', '[' and words starting a compound, in that order.</summary>
    private readonly record struct Specificity(int Ids, int Classes, int Attributes, int Types) : IComparable<Specificity>
    {
        public static Specificity Of(string selector) => new(
            selector.Count(c => c == '#'), selector.Count(c => c == '.'), selector.Count(c => c == '['), TypeSelector().Count(selector));

        public int CompareTo(Specificity other) =>
            (Ids, Classes, Attributes, Types).CompareTo((other.Ids, other.Classes, other.Attributes, other.Types));
    }

    private sealed record InlineRule(bool Important, Specificity Specificity, int Sheet, int Index, string Selector, IReadOnlyList<CssDeclaration> Declarations);
}
