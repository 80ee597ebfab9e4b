using System.Text.Json;
using MailSink.Faults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api.Compat;

/// <summary>
/// MailHog's <c>/api/v2/jim</c> with its status codes (from MailHog's API source): GET 200 or 404 when off,
/// POST 201 (400 when on already), PUT 200 (404 when off), DELETE 200 (404 when off). A body is read over a
/// zero-valued Jim, as MailHog does, so fields left out are 0; POST without a body takes MailHog's defaults.
/// </summary>
internal static class JimApi
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public static IEndpointRouteBuilder MapJimApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v2/jim").WithTags("MailHog compatibility");
        api.MapGet("", Get);
        api.MapPost("", EnableAsync);
        api.MapPut("", ReplaceAsync);
        api.MapDelete("", Disable);
        return app;
    }

    private static Results<Ok<JimSettings>, NotFound> Get(FaultCompatState compat) =>
        compat.Jim is { } jim ? TypedResults.Ok(jim) : TypedResults.NotFound();

    private static async Task<Results<Created<JimSettings>, ProblemHttpResult>> EnableAsync(HttpRequest request, FaultCompatState compat, CancellationToken cancellationToken)
    {
        if (compat.Jim is not null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Jim is already enabled", detail: "PUT /api/v2/jim replaces his settings; DELETE turns him off.");
        }

        var (jim, problem) = await ReadAsync(request, JimSettings.MailHogDefaults(), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        compat.SetJim(jim!);
        return TypedResults.Created("/api/v2/jim", jim);
    }

    private static async Task<Results<Ok<JimSettings>, NotFound, ProblemHttpResult>> ReplaceAsync(HttpRequest request, FaultCompatState compat, CancellationToken cancellationToken)
    {
        if (compat.Jim is null)
        {
            return TypedResults.NotFound();
        }

        var (jim, problem) = await ReadAsync(request, new JimSettings(), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        compat.SetJim(jim!);
        return TypedResults.Ok(jim!);
    }

    private static Results<Ok, NotFound> Disable(FaultCompatState compat)
    {
        if (compat.Jim is null)
        {
            return TypedResults.NotFound();
        }

        compat.DisableJim();
        return TypedResults.Ok();
    }

    private static async Task<(JimSettings? Jim, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, JimSettings withoutBody, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(body))
        {
            return (withoutBody, null);
        }

        JimSettings? jim;
        try
        {
            jim = JsonSerializer.Deserialize<JimSettings>(body, Json);
        }
        catch (JsonException ex)
        {
            return (null, ApiProblems.BadParameter(ex.Path is { Length: > 2 } path ? path[2..] : "body", $"The body is not Jim's JSON: {ex.Message}"));
        }

        jim ??= new JimSettings();
        return FaultCompatState.ValidateJim(jim) is { } error ? (null, ApiProblems.BadParameter(error.Field, error.Detail)) : (jim, null);
    }
}
