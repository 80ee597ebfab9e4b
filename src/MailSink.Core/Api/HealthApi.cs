using MailSink.Smtp;
using MailSink.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api;

/// <summary>
/// The probes (Mailpit's paths): <c>/livez</c> answers while the process serves HTTP; <c>/readyz</c> only when
/// mail can be received and stored, so an orchestrator (Testcontainers' wait strategy, Aspire's health check)
/// starts a test after MailSink can take its mail, not before.
/// </summary>
internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/livez", Live).WithTags("Health");
        app.MapGet("/readyz", ReadyAsync).WithTags("Health");
        return app;
    }

    private static OkText Live() => OkText.Instance;

    private static async Task<Results<OkText, ProblemHttpResult>> ReadyAsync(IMailStore store, SmtpEndpoints endpoints, CancellationToken cancellationToken)
    {
        StoreStats stats;
        try
        {
            stats = await store.GetStatsAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is StoreUnavailableException or IOException or ObjectDisposedException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage unavailable", detail: ex.Message);
        }

        if (stats.WritesRefused is { } reason)
        {
            // Reads still work, but SMTP answers 451 to every message: not ready to receive mail.
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Storage is refusing new mail",
                detail: $"New messages are answered 451 4.3.0 because {reason}. Free some space (or delete messages); mail is accepted again within seconds, without a restart.");
        }

        return endpoints.All.Count == 0
            ? TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "No SMTP listener is bound", detail: "MailSink cannot receive mail yet.")
            : OkText.Instance;
    }
}
