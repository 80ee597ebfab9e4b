using MailSink.Api.Compat.HtmlCheck;

namespace MailSink.Tests.Api.Compat;

/// <summary>
/// Mailpit's html-check over small HTML samples. The expected numbers were worked out by hand from the vendored
/// caniemail.json (2026-05-13): per feature the share of client versions that are "y" (supported), "n" (unsupported)
/// and anything else (partial), e.g. display:flex has 32 y, 12 partial and 20 n of 64 versions.
/// </summary>
public sealed class HtmlCheckerTests
{
    // 28 HTML selector tests + 13 image formats + 101 inline CSS patterns + 6 styling attributes + 7 units + 31
    // style-sheet patterns; Mailpit adds one per HTML feature found (except <body>) and one for <script>.
    private const int BaseTests = 28 + 13 + 101 + 6 + 7 + 31;

    private static HtmlCheckResponse Check(string html) => HtmlChecker.Default.Check(html);

    private static HtmlCheckWarning Warning(HtmlCheckResponse response, string slug) =>
        Assert.Single(response.Warnings, w => w.Slug == slug);

    [Fact]
    public void A_style_sheet_with_display_flex_is_inlined_and_scored_per_node()
    {
        var response = Check("<html><head><style>.f { display: flex }</style></head><body><div class=\"f\">x</div></body></html>");

        Assert.Equal(["html-body", "css-display-flex", "css-display", "html-style"], response.Warnings.Select(w => w.Slug));
        var flex = Warning(response, "css-display-flex");
        Assert.Equal("display:flex", flex.Title);
        Assert.Equal("css", flex.Category);
        Assert.Equal(1, flex.Score.Found);
        Assert.Equal(50f, flex.Score.Supported, 3);
        Assert.Equal(18.75f, flex.Score.Partial, 3);
        Assert.Equal(31.25f, flex.Score.Unsupported, 3);
        Assert.Equal(64, flex.Results.Count);
        Assert.Contains(flex.Results, r => r.Family == "outlook" && r.Platform == "windows" && r.Version == "2019" && r.Support == "no");
        Assert.Contains(flex.Results, r => r.Name == "Gmail iOS (2020-11)" && r.Support == "partial" && r.NoteNumber == "1");
        Assert.Contains(flex.Results, r => r.Family == "yahoo" && r.Version == "2020-11" && r.Support == "partial" && r.NoteNumber == "2");

        // Nodes: style, body and div (html, head and meta do not count when there is a </body>).
        Assert.Equal(3, response.Total.Nodes);
        Assert.Equal(BaseTests + 1, response.Total.Tests);
        // Worst partial: display (20 of 46 versions) / 3 nodes; worst unsupported: <body> (16 of 49) / 3 nodes.
        Assert.Equal(20f / 46 * 100 / 3, response.Total.Partial, 3);
        Assert.Equal(16f / 49 * 100 / 3, response.Total.Unsupported, 3);
        Assert.Equal(100 - response.Total.Partial - response.Total.Unsupported, response.Total.Supported, 3);
    }

    [Fact]
    public void An_img_srcset_and_a_gif_source_are_found_in_a_fragment()
    {
        var response = Check("<p><img srcset=\"a.png 1x, b.png 2x\" src=\"https://example.test/a.GIF\"></p>");

        Assert.Equal(["html-srcset", "image-gif"], response.Warnings.Select(w => w.Slug));
        var srcset = Warning(response, "html-srcset");
        Assert.Equal(35f / 54 * 100, srcset.Score.Unsupported, 3);
        Assert.Equal(3f / 54 * 100, srcset.Score.Partial, 3);
        Assert.Equal(5f / 49 * 100, Warning(response, "image-gif").Score.Partial, 3);

        // Without </body> only the elements inside body count: p and img.
        Assert.Equal(2, response.Total.Nodes);
        Assert.Equal(BaseTests + 1, response.Total.Tests);
        Assert.Equal(5f / 49 * 100 / 2, response.Total.Partial, 3);
        Assert.Equal(35f / 54 * 100 / 2, response.Total.Unsupported, 3);
    }

    [Fact]
    public void Inline_position_absolute_is_one_warning_with_its_notes()
    {
        var response = Check("<div style=\"position:absolute; top:0\">x</div>");

        var position = Assert.Single(response.Warnings);
        Assert.Equal("css-position", position.Slug);
        Assert.Equal(12f / 48 * 100, position.Score.Unsupported, 3);
        Assert.Equal(27f / 48 * 100, position.Score.Partial, 3);
        Assert.Equal(BaseTests, response.Total.Tests);
        Assert.Equal(1, response.Total.Nodes);
        Assert.Equal(9f / 48 * 100, response.Total.Supported, 3);
        Assert.NotEmpty(position.NotesByNumber);
        Assert.All(position.NotesByNumber.Values, note => Assert.False(note.StartsWith("<p>", StringComparison.Ordinal)));
    }

    [Fact]
    public void Important_rules_keep_their_bang_and_px_widths_become_attributes_as_premailer_does()
    {
        var response = Check("<style>td { width: 100px !important }</style><table><tr><td>x</td></tr></table>");

        // td gets style "width:100px !important" and width="100": the inline pattern and the attribute both count.
        Assert.Equal(2, Warning(response, "css-width").Score.Found);
        Assert.Equal(1, Warning(response, "css-important").Score.Found);
        Assert.Equal(BaseTests + 1, response.Total.Tests);
    }

    [Fact]
    public void Rules_with_pseudo_classes_and_at_rules_stay_in_the_style_sheet()
    {
        var response = Check("<style>@media (max-width: 600px) { p { display: flex } } a:hover { color: blue } p { margin: 0 }</style><p><a href=\"#top\">x</a></p><script>alert(1)</script>");

        var media = Warning(response, "css-at-media");
        Assert.Equal(1, media.Score.Found);
        // "a #10": the whole note number, which NotesByNumber has (Mailpit's pattern keeps only the last digit, "0").
        Assert.Contains(media.Results, r => r.Name == "Outlook macOS (16.80)" && r.Support == "partial" && r.NoteNumber == "10");
        Assert.True(media.NotesByNumber.ContainsKey("10"));
        Assert.Equal(1, Warning(response, "css-pseudo-class-hover").Score.Found);
        Assert.Equal(1, Warning(response, "css-margin").Score.Found); // only p { margin: 0 } reaches an element
        Assert.DoesNotContain(response.Warnings, w => w.Slug == "css-display-flex"); // inside @media: not inlined
        Assert.Equal(1, Warning(response, "html-anchor-links").Score.Found);
        var script = Warning(response, "html-script");
        Assert.Equal(100f, script.Score.Unsupported);
        Assert.Equal(script, response.Warnings[0]); // the worst first
    }

    [Fact]
    public void Platforms_list_the_families_of_every_platform_by_nice_name()
    {
        var platforms = Check("<p>x</p>").Platforms;

        Assert.Contains("Gmail", platforms["ios"]);
        Assert.Contains("Outlook", platforms["windows"]);
        Assert.Equal(platforms["ios"].Order(StringComparer.Ordinal), platforms["ios"]);
    }

    [Fact]
    public void Descriptions_are_markdown_turned_into_html_with_links_in_a_new_tab()
    {
        Assert.Equal("<code>x</code> and <a href=\"https://example.test\" target=\"_blank\">a link</a>", MarkdownText.ToHtml("`x` and [a link](https://example.test)"));
        Assert.Equal("See <a href=\"/features/image-svg\">SVG</a>, the element&rsquo;s <code>it's</code>", MarkdownText.ToHtml("See [SVG](/features/image-svg), the element's `it's`"));
    }
}
