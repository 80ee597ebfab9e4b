using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api;

/// <summary>RFC 9457 problem details with a sentence a person can act on.</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult NotFound(string what, string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"{what} not found", detail: $"No {what.ToLowerInvariant()} has the ID '{id}'. It may have been deleted or pruned by retention.");

    public static ProblemHttpResult BadParameter(string parameter, string detail) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: $"Invalid parameter '{parameter}'",
            detail: detail,
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter });
}
