using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace MailSink.Api;

/// <summary>
/// The plain-text <c>ok</c> that Mailpit's clients expect from its actions (delete, mark read) and probes.
/// <c>TypedResults.Text</c> writes the same bytes but tells OpenAPI nothing, leaving a hole in
/// <c>/openapi/v1.json</c>; this result documents itself as a 200 <c>text/plain</c> string.
/// </summary>
internal sealed class OkText : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public const string Body = "ok";

    public static readonly OkText Instance = new();

    private OkText()
    {
    }

    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => "text/plain; charset=utf-8";

    public Task ExecuteAsync(HttpContext httpContext) => TypedResults.Text(Body).ExecuteAsync(httpContext);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), ["text/plain"]));
}
