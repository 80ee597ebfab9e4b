using MailSink.Contracts;
using MailSink.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api;

/// <summary>/api/v1/message/{id}/checks: the deliverability checks stored with a message at ingest.</summary>
internal static class ChecksApi
{
    internal static async Task<Results<Ok<MessageChecksDto>, ProblemHttpResult>> GetAsync(string id, IMailStore store, CancellationToken cancellationToken)
    {
        var summary = await MessagesApi.ResolveAsync(id, store, cancellationToken);
        if (summary is null)
        {
            return ApiProblems.NotFound("Message", id);
        }

        if (summary.Checks is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "No checks for this message",
                detail: $"Message '{summary.Id}' was stored without deliverability checks (Diagnostics:Enabled was false, the checks took longer than Diagnostics:Timeout, or an older MailSink stored it). Send it again to check it, or run 'mailsink check' on its raw file.");
        }

        return TypedResults.Ok(MessageChecksDto.From(summary.Checks));
    }
}
