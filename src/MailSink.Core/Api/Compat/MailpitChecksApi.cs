using System.Text.RegularExpressions;
using MailSink.Api.Compat.HtmlCheck;
using MailSink.Api.Compat.LinkCheck;
using MailSink.Diagnostics.SpamAssassin;
using MailSink.Mime;
using MailSink.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api.Compat;

/// <summary>Mailpit's per-message checks: html-check, link-check and sa-check (when a spamd is configured).</summary>
internal static class MailpitChecksApi
{
    public static IEndpointRouteBuilder MapMailpitChecksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/message/{id}").WithTags("Mailpit compatibility");
        api.MapGet("/html-check", HtmlCheckAsync);
        api.MapGet("/link-check", LinkCheckAsync);
        api.MapGet("/sa-check", SpamAssassinCheckAsync);
        return app;
    }

    // Mailpit answers 400 "message does not contain HTML" when there is no HTML part; the check itself is offline
    // (no linked stylesheet is fetched) and CPU-bound, with regex timeouts against pathological content.
    private static async Task<Results<Ok<HtmlCheckResponse>, ProblemHttpResult>> HtmlCheckAsync(
        string id, string? query, IMailStore store, CancellationToken cancellationToken)
    {
        var summary = await MessagesApi.ResolveAsync(id, query, store, cancellationToken);
        var raw = summary is null ? null : await store.GetRawAsync(summary.Id, cancellationToken);
        if (raw is null)
        {
            return ApiProblems.NotFound("Message", id);
        }

        var html = new MessageContentReader(raw).Html;
        if (string.IsNullOrEmpty(html))
        {
            return MailpitProblems.BadRequest("Message does not contain HTML", "message does not contain HTML");
        }

        try
        {
            return TypedResults.Ok(HtmlChecker.Default.Check(html));
        }
        catch (RegexMatchTimeoutException)
        {
            return MailpitProblems.BadRequest("HTML check gave up", "The message's HTML or CSS took too long to match against the caniemail.com features.");
        }
    }

    private static async Task<Results<Ok<SpamAssassinResult>, ProblemHttpResult>> SpamAssassinCheckAsync(
        string id, string? query, IMailStore store, SpamdClient spamd, CancellationToken cancellationToken)
    {
        if (!spamd.Configured)
        {
            return MailpitProblems.Status(
                StatusCodes.Status501NotImplemented,
                "SpamAssassin is not configured",
                "No spamd is configured, so there is no spam score for this message. Set Diagnostics:SpamAssassin to the host:port of a SpamAssassin spamd to enable this check.");
        }

        var summary = await MessagesApi.ResolveAsync(id, query, store, cancellationToken);
        var raw = summary is null ? null : await store.GetRawAsync(summary.Id, cancellationToken);
        if (raw is null)
        {
            return ApiProblems.NotFound("Message", id);
        }

        return TypedResults.Ok(await spamd.CheckAsync(raw, cancellationToken));
    }

    private static async Task<Results<Ok<LinkCheckResponse>, ProblemHttpResult>> LinkCheckAsync(
        string id, string? follow, string? query, IMailStore store, LinkChecker checker, CancellationToken cancellationToken)
    {
        var fetch = false;
        if (follow is not null && !bool.TryParse(follow, out fetch))
        {
            return ApiProblems.BadParameter("follow", $"follow must be true or false, got '{follow}'.");
        }

        var summary = await MessagesApi.ResolveAsync(id, query, store, cancellationToken);
        var raw = summary is null ? null : await store.GetRawAsync(summary.Id, cancellationToken);
        if (raw is null)
        {
            return ApiProblems.NotFound("Message", id);
        }

        var content = new MessageContentReader(raw);
        return TypedResults.Ok(await checker.CheckAsync(content.Html, content.Text, fetch, cancellationToken));
    }
}
