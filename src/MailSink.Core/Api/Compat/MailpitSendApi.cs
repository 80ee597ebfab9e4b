using System.Text.Json;
using MailSink.Smtp;
using MailSink.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api.Compat;

/// <summary>
/// Mailpit's <c>POST /api/v1/send</c>: a JSON message is composed into MIME and handed to the same ingest
/// path as SMTP (<see cref="ApiMessageIngest"/>), so it gets a Received header, checks and a session.
/// </summary>
internal static class MailpitSendApi
{
    public static IEndpointRouteBuilder MapMailpitSendApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/send", SendAsync).WithTags("Mailpit compatibility");
        return app;
    }

    private static async Task<Results<Ok<SendMessageResponse>, ProblemHttpResult>> SendAsync(HttpContext context, ApiMessageIngest ingest, CancellationToken cancellationToken)
    {
        MailpitSendRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<MailpitSendRequest>(context.Request.Body, BodyJson, cancellationToken);
        }
        catch (JsonException ex)
        {
            return MailpitProblems.BadRequest("The request body is not Mailpit's send JSON", ex.Message);
        }

        if (request is null)
        {
            return MailpitProblems.BadRequest("The request body is empty", "POST a JSON object with at least From.Email.");
        }

        var composed = MailpitMessageComposer.Compose(request, out var error);
        if (error is not null)
        {
            return MailpitProblems.BadRequest("The message could not be composed", error);
        }

        var connection = context.Connection;
        var submitter = new ApiSubmitter(
            connection.RemoteIpAddress?.ToString() ?? "",
            connection.RemotePort,
            connection.LocalIpAddress?.ToString() ?? "",
            connection.LocalPort,
            BasicAuthUser(context.Request),
            "POST /api/v1/send");
        try
        {
            var id = await ingest.SubmitAsync(composed.Bytes, composed.MailFrom, composed.Recipients, submitter, cancellationToken);
            return TypedResults.Ok(new SendMessageResponse(id));
        }
        catch (MessageTooBigException ex)
        {
            return MailpitProblems.Status(StatusCodes.Status413PayloadTooLarge, "The message is too big", ex.Message);
        }
        catch (StoreUnavailableException ex)
        {
            return MailpitProblems.Status(StatusCodes.Status503ServiceUnavailable, "Storage unavailable, try again later", ex.Message);
        }
    }

    /// <summary>The Basic auth user name, as Mailpit records it for the message's Username.</summary>
    private static string? BasicAuthUser(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var decoded = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':');
            return colon > 0 ? decoded[..colon] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static readonly JsonSerializerOptions BodyJson = new() { PropertyNameCaseInsensitive = true };
}
