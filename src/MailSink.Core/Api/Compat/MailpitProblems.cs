using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api.Compat;

/// <summary>
/// RFC 9457 problems that Mailpit's clients also read: Mailpit answers <c>{"Error": "..."}</c> (swagger
/// "JSONErrorResponse"), so the detail is repeated in an <c>Error</c> extension member.
/// </summary>
internal static class MailpitProblems
{
    public static ProblemHttpResult BadRequest(string title, string detail) => Status(StatusCodes.Status400BadRequest, title, detail);

    public static ProblemHttpResult Status(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail, extensions: new Dictionary<string, object?> { ["Error"] = detail });
}
