using MailSink.Contracts;
using MailSink.Search;
using MailSink.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api;

/// <summary>/api/v1/search (Mailpit): the query language over decoded subject, addresses and body.</summary>
internal static class SearchApi
{
    internal static SearchQuery? TryParse(string? query, out ProblemHttpResult? problem)
    {
        try
        {
            problem = null;
            return SearchQuery.Parse(query);
        }
        catch (SearchQueryException ex)
        {
            problem = ApiProblems.BadParameter("query", ex.Message);
            return null;
        }
    }

    internal static async Task<IReadOnlyCollection<string>> AllMatchingIdsAsync(IMailStore store, SearchQuery query, CancellationToken cancellationToken)
    {
        var page = await store.ListMessagesAsync(0, int.MaxValue, query.Predicate, cancellationToken);
        return page.Items.Select(m => m.Id).ToList();
    }

    internal static async Task<Results<Ok<MessagesPageDto>, ProblemHttpResult>> SearchAsync(
        string? query, string? start, string? limit, IMailStore store, CancellationToken cancellationToken)
    {
        if (!Paging.TryParse(start, limit, out var paging, out var problem))
        {
            return problem!;
        }

        var parsed = TryParse(query, out problem);
        if (parsed is null)
        {
            return problem!;
        }

        var unreadMatches = 0;
        var page = await store.ListMessagesAsync(paging.Start, paging.Limit, m =>
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
        return TypedResults.Ok(MessagesApi.ToPage(page, stats, paging, unreadMatches));
    }

    internal static async Task<Results<OkText, ProblemHttpResult>> DeleteAsync(string? query, IMailStore store, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            // Deleting "everything that matches nothing in particular" is almost always a client bug.
            return ApiProblems.BadParameter("query", "A search query is required; use DELETE /api/v1/messages to delete everything.");
        }

        var parsed = TryParse(query, out var problem);
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
