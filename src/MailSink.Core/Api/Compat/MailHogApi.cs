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

    private static async Task<Ok<MailHogPage>> ListAsync(string? start, string? limit, IMailStore store, CancellationToken cancellationToken)
    {
        var paging = MailHogPaging(start, limit);
        var page = await store.ListMessagesAsync(paging.Start, paging.Limit, null, cancellationToken);
        return TypedResults.Ok(await ToPageAsync(page, paging, store, cancellationToken));
    }

    private static async Task<Results<Ok<MailHogPage>, ProblemHttpResult>> SearchAsync(
        string? kind, string? query, string? start, string? limit, IMailStore store, CancellationToken cancellationToken)
    {
        var paging = MailHogPaging(start, limit);
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

        var page = kind!.Equals("containing", StringComparison.OrdinalIgnoreCase)
            ? await ContainingAsync(query, filter, paging, store, cancellationToken)
            : await store.ListMessagesAsync(paging.Start, paging.Limit, filter, cancellationToken);
        return TypedResults.Ok(await ToPageAsync(page, paging, store, cancellationToken));
    }

    /// <summary>
    /// MailHog's "containing" looks at the source (every header value and the body as sent); MailSink also matches
    /// the decoded text. The summaries answer first; only a message they do not match has its source read. Like
    /// MailHog, this visits every message: it is the compatibility path, not the search API.
    /// </summary>
    private static async Task<Page<MessageSummary>> ContainingAsync(string query, Func<MessageSummary, bool> decoded, Paging paging, IMailStore store, CancellationToken cancellationToken)
    {
        var all = await store.ListMessagesAsync(0, int.MaxValue, null, cancellationToken);
        var matches = new List<MessageSummary>();
        foreach (var summary in all.Items)
        {
            if (decoded(summary) || (await store.GetRawAsync(summary.Id, cancellationToken) is { } raw && SourceContains(raw, query)))
            {
                matches.Add(summary);
            }
        }

        return new Page<MessageSummary>(matches.Skip(paging.Start).Take(paging.Limit).ToList(), matches.Count);
    }

    private static bool SourceContains(byte[] raw, string query) =>
        System.Text.Encoding.UTF8.GetString(raw).Contains(query, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// MailHog's getStartLimit: a start that is not a positive whole number is 0, a limit that is not one is 50,
    /// and a limit over 250 is 250. Never an error, as in MailHog.
    /// </summary>
    internal static Paging MailHogPaging(string? start, string? limit)
    {
        var s = long.TryParse(start, out var n) && n > 0 ? (int)Math.Min(n, int.MaxValue) : 0;
        var l = long.TryParse(limit, out var m) && m > 0 ? (int)Math.Min(m, MaxLimit) : Paging.DefaultLimit;
        return new Paging(s, l);
    }

    /// <summary>MailHog caps a page at 250 messages.</summary>
    internal const int MaxLimit = 250;

    private static bool Contains(string? value, string lowerNeedle) =>
        value is not null && value.Contains(lowerNeedle, StringComparison.OrdinalIgnoreCase);

    private static async Task<MailHogPage> ToPageAsync(Page<MessageSummary> page, Paging paging, IMailStore store, CancellationToken cancellationToken)
    {
        var items = await MailHogV1Api.MapAllAsync(page.Items, store, cancellationToken);
        return new MailHogPage(page.Total, items.Count, paging.Start, items);
    }
}
