using MailSink.Contracts;
using MailSink.Search;
using MailSink.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api;

/// <summary>/api/v1/search (Mailpit): the query language over decoded subject, addresses and body.</summary>
internal static class SearchApi
{
    internal static SearchQuery? TryParse(string? query, out ProblemHttpResult? problem) => TryParse(query, null, out problem);

    /// <param name="query">The query as typed.</param>
    /// <param name="tz">Mailpit's tz parameter: an IANA zone (e.g. Pacific/Auckland) for before: and after: dates without an offset.</param>
    /// <param name="problem">Why the query or the zone cannot be used.</param>
    internal static SearchQuery? TryParse(string? query, string? tz, out ProblemHttpResult? problem)
    {
        TimeZoneInfo? zone = null;
        if (!string.IsNullOrWhiteSpace(tz) && !TimeZoneInfo.TryFindSystemTimeZoneById(tz.Trim(), out zone))
        {
            // Mailpit logs and ignores an unknown zone, which silently moves every date by hours; say so instead.
            problem = ApiProblems.BadParameter("tz", $"\"{tz}\" is not a time zone this machine knows; use an IANA name such as Europe/Berlin or Pacific/Auckland (the zone database must be installed, e.g. Debian's tzdata).");
            return null;
        }

        try
        {
            problem = null;
            return SearchQuery.Parse(query, zone);
        }
        catch (SearchQueryException ex)
        {
            problem = ApiProblems.BadParameter("query", ex.Message);
            return null;
        }
    }

    internal static async Task<IReadOnlyCollection<string>> AllMatchingIdsAsync(IMailStore store, SearchQuery query, CancellationToken cancellationToken)
    {
        var page = await store.ListMessagesAsync(0, int.MaxValue, query, query.Predicate, cancellationToken);
        return page.Items.Select(m => m.Id).ToList();
    }

    internal static async Task<Results<Ok<MessagesPageDto>, ProblemHttpResult>> SearchAsync(
        string? query, string? start, string? limit, string? tz, IMailStore store, TagCounts tags, CancellationToken cancellationToken)
    {
        if (!Paging.TryParse(start, limit, out var paging, out var problem))
        {
            return problem!;
        }

        var parsed = TryParse(query, tz, out problem);
        if (parsed is null)
        {
            return problem!;
        }

        var unreadMatches = 0;
        var page = await store.ListMessagesAsync(paging.Start, paging.Limit, parsed, m =>
        {
            if (!parsed.Matches(m))
            {
                return false;
            }

            if (!m.Read)
            {
                Interlocked.Increment(ref unreadMatches);
            }

            return true;
        }, cancellationToken);
        var stats = await store.GetStatsAsync(cancellationToken);
        var allTags = (await tags.GetAsync(cancellationToken)).Keys.ToList();
        return TypedResults.Ok(MessagesApi.ToPage(page, stats, paging, unreadMatches, allTags));
    }

    internal static async Task<Results<OkText, ProblemHttpResult>> DeleteAsync(string? query, string? tz, IMailStore store, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            // Deleting "everything that matches nothing in particular" is almost always a client bug.
            return ApiProblems.BadParameter("query", "A search query is required; use DELETE /api/v1/messages to delete everything.");
        }

        var parsed = TryParse(query, tz, out var problem);
        if (parsed is null)
        {
            return problem!;
        }

        var ids = await AllMatchingIdsAsync(store, parsed, cancellationToken);
        if (ids.Count > 0)
        {
            await store.DeleteMessagesAsync(ids, cancellationToken);
        }

        return OkText.Instance;
    }
}
