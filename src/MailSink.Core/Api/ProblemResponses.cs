using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MailSink.Api;

/// <summary>
/// Documents the error answers in /openapi/v1.json. A handler typed <c>Results&lt;Ok&lt;T&gt;, ProblemHttpResult&gt;</c>
/// tells OpenAPI about its 200 only (a problem's status is decided at run time), so every operation whose handler can
/// return a <see cref="ProblemHttpResult"/> gets a <c>default</c> response: an RFC 9457 problem
/// (<c>application/problem+json</c>), which is what MailSink answers for every 4xx and 5xx of its API.
/// </summary>
internal sealed class ProblemResponses : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!CanAnswerWithProblem(context) || operation.Responses is null || operation.Responses.ContainsKey("default"))
        {
            return;
        }

        var schema = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken);
        operation.Responses["default"] = new OpenApiResponse
        {
            Description = "An RFC 9457 problem: what was wrong with the request, or why the server could not answer it.",
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = schema } },
        };
    }

    private static bool CanAnswerWithProblem(OpenApiOperationTransformerContext context)
    {
        var method = context.Description.ActionDescriptor.EndpointMetadata.OfType<System.Reflection.MethodInfo>().FirstOrDefault();
        return method is not null && Mentions(method.ReturnType, typeof(ProblemHttpResult));
    }

    private static bool Mentions(Type type, Type wanted) =>
        type == wanted || (type.IsGenericType && type.GetGenericArguments().Any(a => Mentions(a, wanted)));
}
