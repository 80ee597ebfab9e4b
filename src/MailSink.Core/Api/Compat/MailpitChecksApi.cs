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
        api.MapGet("/html-check", HtmlCheck).ProducesProblem(StatusCodes.Status501NotImplemented);
        api.MapGet("/link-check", LinkCheckAsync);
        api.MapGet("/sa-check", SpamAssassinCheckAsync);
        return app;
    }

    // The support data exists as a package (npm "caniemail" 2.0.2, MIT, its data/ folder), but Mailpit's scoring over
    // it (internal/htmlcheck: which elements, attributes and CSS each feature means, weighted per client) is not
    // ported, and a partial score would mislead: say so plainly instead of guessing.
    private static ProblemHttpResult HtmlCheck(string id) => MailpitProblems.Status(
        StatusCodes.Status501NotImplemented,
        "HTML check is not available in MailSink",
        "MailSink does not score HTML against the caniemail.com support data as Mailpit's HTML check does, so it cannot answer this check. The message's own checks are at GET /api/v1/message/{ID}/checks.");

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
