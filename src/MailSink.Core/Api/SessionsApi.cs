using MailSink.Contracts;
using MailSink.Smtp;
using MailSink.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api;

/// <summary>/api/v1/sessions: every SMTP connection, delivered or not, with its transcript.</summary>
internal static class SessionsApi
{
    internal static async Task<Results<Ok<SessionsPageDto>, ProblemHttpResult>> ListAsync(string? start, string? limit, IMailStore store, CancellationToken cancellationToken)
    {
        if (!Paging.TryParse(start, limit, out var paging, out var problem))
        {
            return problem!;
        }

        var page = await store.ListSessionsAsync(paging.Start, paging.Limit, cancellationToken);
        return TypedResults.Ok(new SessionsPageDto(page.Total, paging.Start, page.Items.Count, page.Items.Select(SessionSummaryDto.From).ToList()));
    }

    internal static async Task<Results<Ok<SessionDto>, ProblemHttpResult>> GetAsync(string id, IMailStore store, ActiveSessions active, CancellationToken cancellationToken)
    {
        var session = active.TryGet(id) ?? await store.GetSessionAsync(id, cancellationToken);
        return session is null ? ApiProblems.NotFound("Session", id) : TypedResults.Ok(SessionDto.From(session));
    }
}
