using AngleSharp.Html.Parser;
using MailSink.Api.Compat.HtmlCheck;

namespace MailSink.Tests.Api.Compat;

/// <summary>The &lt;style&gt; inlining behind html-check's CSS checks, compared with what go-premailer writes.</summary>
public sealed class HtmlCheckStyleInlinerTests
{
    private static AngleSharp.Dom.IDocument Inlined(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        StyleInliner.Inline(document);
        return document;
    }

    [Fact]
    public void Rules_apply_by_specificity_then_important_then_the_element_s_own_style_with_the_last_value_winning()
    {
        var document = Inlined("<style>.x { color: red; width: 20px } p { width: 10px !important; margin: 0 }</style><p class=\"x\" style=\"color: blue\">x</p>");
        var p = document.QuerySelector("p")!;

        // p (a type) sorts before .x (a class); "!important" rules after all normal ones; the own style last.
        Assert.Equal("margin:0;width:10px !important;color:blue", p.GetAttribute("style"));
        Assert.Equal("10", p.GetAttribute("width"));
        Assert.Null(document.QuerySelector("style")); // premailer takes the inlined sheet out
    }

    [Fact]
    public void Pseudo_classes_universal_selectors_at_rules_and_screen_only_sheets_are_not_inlined()
    {
        var document = Inlined(
            "<style>a:hover { color: red } * { margin: 0 } @media (max-width: 600px) { a { display: block } } /* a { top: 0 } */ a, b { font-weight: bold }</style>"
            + "<style media=\"screen\">a { float: left }</style><a href=\"#\">x</a>");

        Assert.Equal("font-weight:bold", document.QuerySelector("a")!.GetAttribute("style"));
        Assert.NotNull(document.QuerySelector("style[media=screen]"));
    }

    [Fact]
    public void Declarations_keep_their_text_through_quotes_and_parentheses()
    {
        var declarations = CssRuleReader.ReadDeclarations("background: url(\"a;b.png\") no-repeat; font-family: 'A;B', serif ; color:RGB(1, 2, 3) ! important");

        Assert.Equal(
            [new CssDeclaration("background", "url(\"a;b.png\") no-repeat", false), new CssDeclaration("font-family", "'A;B', serif", false), new CssDeclaration("color", "RGB(1, 2, 3)", true)],
            declarations);
    }
}
