using MailSink.Domain;
using MailSink.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api.Compat;

/// <summary>MailHog's API v2 list and search, so its clients (npm mailhog, cypress-mailhog) work unchanged.</summary>
internal static class MailHogApi
{
    public static IEndpointRouteBuilder MapMailHogApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v2").WithTags("MailHog compatibility");
        api.MapGet("/messages", ListAsync);
        api.MapGet("/search", SearchAsync);
        return app;
    }

    private static async Task<Results<Ok<MailHogPage>, ProblemHttpResult>> ListAsync(string? start, string? limit, IMailStore store, CancellationToken cancellationToken)
    {
        if (!Paging.TryParse(start, limit, out var paging, out var problem))
        {
            return problem!;
        }

        var page = await store.ListMessagesAsync(paging.Start, paging.Limit, null, cancellationToken);
        return TypedResults.Ok(await ToPageAsync(page, paging, store, cancellationToken));
    }

    private static async Task<Results<Ok<MailHogPage>, ProblemHttpResult>> SearchAsync(
        string? kind, string? query, string? start, string? limit, IMailStore store, CancellationToken cancellationToken)
    {
        if (!Paging.TryParse(start, limit, out var paging, out var problem))
        {
            return problem!;
        }

        if (string.IsNullOrEmpty(query))
        {
            return ApiProblems.BadParameter("query", "'query' is required.");
        }

        var needle = query.ToLowerInvariant();
        Func<MessageSummary, bool>? filter = kind?.ToLowerInvariant() switch
        {
            "from" => m => Contains(m.Envelope.MailFrom, needle) || Contains(m.From?.Address, needle) || Contains(m.From?.Name, needle),
            "to" => m => m.Envelope.RcptTo.Any(r => Contains(r, needle)) || m.To.Concat(m.Cc).Any(a => Contains(a.Address, needle) || Contains(a.Name, needle)),
            "containing" => m => m.SearchText.Contains(needle, StringComparison.Ordinal) || Contains(m.Subject, needle),
            _ => null,
        };
        if (filter is null)
        {
            return ApiProblems.BadParameter("kind", $"'kind' must be from, to or containing, got '{kind}'.");
        }

        var page = await store.ListMessagesAsync(paging.Start, paging.Limit, filter, cancellationToken);
        return TypedResults.Ok(await ToPageAsync(page, paging, store, cancellationToken));
    }

    private static bool Contains(string? value, string lowerNeedle) =>
        value is not null && value.Contains(lowerNeedle, StringComparison.OrdinalIgnoreCase);

    private static async Task<MailHogPage> ToPageAsync(Page<MessageSummary> page, Paging paging, IMailStore store, CancellationToken cancellationToken)
    {
        var items = new List<MailHogMessage>(page.Items.Count);
        foreach (var summary in page.Items)
        {
            var raw = await store.GetRawAsync(summary.Id, cancellationToken);
            if (raw is not null)
            {
                items.Add(MailHogMessageMapper.Map(summary, raw));
            }
        }

        return new MailHogPage(page.Total, items.Count, paging.Start, items);
    }
}
