using MailSink.Contracts;
using MailSink.Domain;
using MailSink.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api.Wait;

/// <summary>
/// GET /api/v1/wait: answers as soon as enough matching messages exist (ones that arrived before the call
/// count too, with <c>after</c> marking where the test's action began), or 408 after the timeout. This is
/// what lets a test assert "the app sent the mail" in one call instead of sleeping or polling.
/// </summary>
internal static class WaitApi
{
    public const int MaxCount = Paging.MaxLimit;

    internal static async Task<Results<Ok<MessagesPageDto>, ProblemHttpResult, EmptyHttpResult>> WaitAsync(
        string? query,
        string? after,
        string? timeout,
        string? count,
        IMailStore store,
        MessageWaiters waiters,
        IHostApplicationLifetime lifetime,
        CancellationToken cancellationToken)
    {
        var parsed = SearchApi.TryParse(query, out var problem);
        if (parsed is null)
        {
            return problem!;
        }

        if (!WaitAfter.TryParse(after, out var afterMark))
        {
            return ApiProblems.BadParameter("after", $"'after' must be a message ID (16 characters, e.g. 01JDX3M5Q0000000) or an RFC 3339 time (e.g. 2025-06-01T12:00:00Z), got '{after}'.");
        }

        if (!WaitTimeout.TryParse(timeout, out var wait))
        {
            return ApiProblems.BadParameter("timeout", $"'timeout' must be a duration such as 30s, 500ms or 2m (or plain seconds), at most {WaitTimeout.Max.TotalMinutes:0}m, got '{timeout}'.");
        }

        var wanted = 1;
        if (!string.IsNullOrEmpty(count) && (!int.TryParse(count, out wanted) || wanted < 1 || wanted > MaxCount))
        {
            return ApiProblems.BadParameter("count", $"'count' must be between 1 and {MaxCount}, got '{count}'.");
        }

        // Shutting down must not wait for pending waiters to time out (the host would hang for minutes).
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        WaitResult result;
        try
        {
            result = await waiters.WaitAsync(parsed, afterMark, wanted, wait, linked.Token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away; nobody reads this response.
            return TypedResults.Empty;
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "MailSink is shutting down", detail: "The server stopped before a matching message arrived.");
        }

        if (result.Matches is null)
        {
            var what = parsed.IsEmpty ? "message" : $"message matching '{parsed.Text}'";
            var since = afterMark == WaitAfter.Anything ? "" : $" after {afterMark}";
            return TypedResults.Problem(
                statusCode: StatusCodes.Status408RequestTimeout,
                title: "No matching message arrived in time",
                detail: $"Waited {Describe(wait)} for {wanted} {what}{since}; found {result.Found}. Check the query, or that the application really sent the mail to this MailSink's SMTP port.",
                extensions: new Dictionary<string, object?> { ["found"] = result.Found, ["count"] = wanted });
        }

        var stats = await store.GetStatsAsync(cancellationToken);

        // The list endpoints' shape and order (newest first), holding the oldest matches.
        var newestFirst = result.Matches.Reverse().ToList();
        var page = new Page<MessageSummary>(newestFirst, newestFirst.Count);
        return TypedResults.Ok(MessagesApi.ToPage(page, stats, new Paging(0, wanted), newestFirst.Count(m => !m.Read)));
    }

    private static string Describe(TimeSpan t) =>
        t.TotalSeconds >= 1 && t.Milliseconds == 0 ? $"{t.TotalSeconds:0}s" : $"{t.TotalMilliseconds:0}ms";
}
