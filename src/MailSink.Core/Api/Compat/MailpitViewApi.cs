using System.Text.RegularExpressions;
using MailSink.Mime;
using MailSink.Storage;
using Microsoft.Net.Http.Headers;

namespace MailSink.Api.Compat;

/// <summary>
/// Mailpit's <c>/view/{ID}.html</c> and <c>/view/{ID}.txt</c> (swagger tag "testing"): a message's HTML or text
/// part alone, for UI tests that open it in a browser. The HTML is the sender's, so it is served in MailSink's
/// origin only under the web inbox's sandbox: CSP <c>sandbox</c> (no scripts, opaque origin) with
/// <c>default-src 'none'</c>, images only from data: and this message's parts, inline styles, no remote loads,
/// no forms (web-ui/src/lib/htmlSandbox.ts applies the same policy to the inbox's iframe).
/// </summary>
internal static partial class MailpitViewApi
{
    public static IEndpointRouteBuilder MapMailpitViewApi(this IEndpointRouteBuilder app)
    {
        var view = app.MapGroup("/view").WithTags("Mailpit compatibility");
        view.MapGet("/{id}.html", HtmlAsync);
        view.MapGet("/{id}.txt", TextAsync);
        return app;
    }

    private static async Task<IResult> HtmlAsync(string id, string? embed, string? query, HttpContext context, IMailStore store, CancellationToken cancellationToken)
    {
        var summary = await MessagesApi.ResolveAsync(id, query, store, cancellationToken);
        var raw = summary is null ? null : await store.GetRawAsync(summary.Id, cancellationToken);
        if (summary is null || raw is null)
        {
            return ApiProblems.NotFound("Message", id);
        }

        var html = new MessageContentReader(raw).Html;
        if (string.IsNullOrEmpty(html))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No HTML part", detail: "This message does not contain a HTML part; GET /view/{ID}.txt has its text.");
        }

        var partsPath = $"/api/v1/message/{summary.Id}/part/";
        foreach (var part in summary.Inlines.Concat(summary.Attachments).Where(p => !string.IsNullOrEmpty(p.ContentId)))
        {
            // Mailpit's linkInlineImages: cid: references in attribute values point at the part API.
            var cid = new Regex($"""(=["']?)cid:{Regex.Escape(part.ContentId!)}(["'\s/>;])""", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
            html = cid.Replace(html, m => m.Groups[1].Value + partsPath + part.PartId + m.Groups[2].Value);
        }

        if (embed == "1")
        {
            // Mailpit adds target and rel to every link when the view is framed. Its height-posting script is left
            // out: the sandbox below blocks every script, which is the point of it.
            html = Anchor().Replace(html, "<a target=\"_blank\" rel=\"noreferrer noopener\"");
        }

        var origin = $"{context.Request.Scheme}://{context.Request.Host}";
        var response = context.Response;
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        response.Headers[HeaderNames.ContentSecurityPolicy] = SandboxPolicy(origin + partsPath);
        response.Headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    private static async Task<IResult> TextAsync(string id, string? query, HttpResponse response, IMailStore store, CancellationToken cancellationToken)
    {
        var summary = await MessagesApi.ResolveAsync(id, query, store, cancellationToken);
        var raw = summary is null ? null : await store.GetRawAsync(summary.Id, cancellationToken);
        if (summary is null || raw is null)
        {
            return ApiProblems.NotFound("Message", id);
        }

        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        return TypedResults.Content(new MessageContentReader(raw).Text ?? "", "text/plain; charset=utf-8");
    }

    /// <summary>The inbox iframe's policy as a header, plus <c>sandbox</c> since this page is not framed by the inbox.</summary>
    internal static string SandboxPolicy(string partsUrl) => string.Join("; ",
        "sandbox allow-popups allow-popups-to-escape-sandbox",
        "default-src 'none'",
        $"img-src data: {partsUrl}",
        "style-src 'unsafe-inline'",
        "font-src data:",
        "form-action 'none'",
        "base-uri 'none'");

    [GeneratedRegex(@"<a(?=[\s>])", RegexOptions.IgnoreCase)]
    private static partial Regex Anchor();
}
