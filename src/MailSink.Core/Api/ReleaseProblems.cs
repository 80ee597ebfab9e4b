using MailSink.Realtime;
using MailSink.Relay;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api;

/// <summary>RFC 9457 answers for the release routes (MailHog's and Mailpit's), naming what failed.</summary>
internal static class ReleaseProblems
{
    /// <summary>The relay failed: 502, with the step, the server and its reply.</summary>
    public static ProblemHttpResult RelayFailed(RelayException ex) => TypedResults.Problem(
        statusCode: StatusCodes.Status502BadGateway,
        title: ex.Stage switch
        {
            RelayStage.Connect => "Relay connection failed",
            RelayStage.Tls => "Relay TLS failed",
            RelayStage.Authentication => "Relay authentication failed",
            RelayStage.Sender => "Relay refused the sender",
            RelayStage.Recipient => "Relay refused a recipient",
            _ => "Relay refused the message",
        },
        detail: ex.Message,
        extensions: new Dictionary<string, object?>
        {
            ["stage"] = ex.Stage.ToString().ToLowerInvariant(),
            ["server"] = ex.Target.Address,
            ["replyCode"] = ex.ReplyCode,
        });

    public static ProblemHttpResult Refused(ReleaseRefusedException ex) => ApiProblems.BadParameter(ex.Parameter, ex.Message);

    public static ProblemHttpResult NotConfigured() => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "Release is not configured",
        detail: "No relay is configured: set Relay:Host (and Relay:Port, Relay:Tls, Relay:Auth) to release messages.");

    /// <summary>
    /// A release makes MailSink connect out, so a page on another origin must not be able to trigger one with a
    /// simple cross-site POST (no preflight for text/plain): the hub's Origin rule applies.
    /// </summary>
    public static ProblemHttpResult? CheckOrigin(HttpRequest request, HubOriginPolicy origins) =>
        origins.IsAllowed(request)
            ? null
            : TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Origin not allowed",
                detail: $"A release from a page on '{request.Headers.Origin}' is refused; add the origin to Web:AllowedOrigins to allow it.");
}
