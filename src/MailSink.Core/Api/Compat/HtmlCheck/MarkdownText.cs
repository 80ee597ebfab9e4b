using Markdig;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace MailSink.Api.Compat.HtmlCheck;

/// <summary>
/// caniemail.com's descriptions and notes are Markdown; Mailpit answers them as HTML without the wrapping paragraph
/// and with absolute links opening in a new tab (gomarkdown with HrefTargetBlank). The text is the data's, not the
/// message's, but raw HTML in it is escaped anyway.
/// </summary>
internal static class MarkdownText
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseAutoLinks()
        .UseEmphasisExtras()
        .DisableHtml()
        .Build();

    public static string ToHtml(string markdown)
    {
        if (markdown.Length == 0)
        {
            return markdown;
        }

        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!link.IsImage && link.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out _))
            {
                link.GetAttributes().AddPropertyIfNotExist("target", "_blank");
            }
        }

        var html = document.ToHtml(Pipeline).Trim();
        if (html.StartsWith("<p>", StringComparison.Ordinal))
        {
            html = html[3..];
        }

        return html.EndsWith("</p>", StringComparison.Ordinal) ? html[..^4] : html;
    }
}
