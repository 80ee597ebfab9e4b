using Markdig;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace MailSink.Api.Compat.HtmlCheck;

/// <summary>
/// caniemail.com's descriptions and notes are Markdown; Mailpit answers them as HTML (gomarkdown: smart quotes and
/// dashes as entities, absolute links opening in a new tab, inline HTML passed through) without the wrapping
/// paragraph. The text comes from the vendored data, never from a message, so its inline HTML is kept as Mailpit keeps it.
/// </summary>
internal static class MarkdownText
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseAutoLinks()
        .UseEmphasisExtras()
        .UseSmartyPants()
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
            // "/features/x" is relative in the web's sense although .NET reads it as a file URI on Unix.
            if (!link.IsImage && link.Url is { } url && !url.StartsWith('/') && Uri.TryCreate(url, UriKind.Absolute, out var uri) && !uri.IsFile)
            {
                link.GetAttributes().AddPropertyIfNotExist("target", "_blank");
            }
        }

        SmartApostrophes(document);
        var html = document.ToHtml(Pipeline).Trim();
        if (html.StartsWith("<p>", StringComparison.Ordinal))
        {
            html = html[3..];
        }

        return html.EndsWith("</p>", StringComparison.Ordinal) ? html[..^4] : html;
    }

    // gomarkdown's smartypants writes an apostrophe after a letter or digit ("element's") as &rsquo;, and one
    // opening a word as &lsquo;; Markdig's SmartyPants leaves such single quotes alone.
    private static void SmartApostrophes(MarkdownDocument document)
    {
        foreach (var literal in document.Descendants<LiteralInline>().ToList())
        {
            var text = literal.Content.ToString();
            if (!text.Contains('\'', StringComparison.Ordinal))
            {
                continue;
            }

            var before = literal.PreviousSibling;
            var start = 0;
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] != '\'')
                {
                    continue;
                }

                if (i > start)
                {
                    literal.InsertBefore(new LiteralInline(text[start..i]));
                }

                var closing = i > 0 ? char.IsLetterOrDigit(text[i - 1]) : before is not null;
                literal.InsertBefore(new HtmlInline(closing ? "&rsquo;" : "&lsquo;"));
                start = i + 1;
            }

            if (start < text.Length)
            {
                literal.InsertBefore(new LiteralInline(text[start..]));
            }

            literal.Remove();
        }
    }
}
