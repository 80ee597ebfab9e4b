using MailSink.Realtime;
using MailSink.Relay;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api.Compat;

/// <summary>
/// MailHog's POST /api/v1/messages/{id}/release and GET /api/v2/outgoing-smtp. A release names a configured server
/// ("name", Relay:Servers) or carries its own host and port (Relay:AllowRequestServers); the recipient is "email"
/// (or the named server's Email). Success is MailHog's 200 with an empty body; failures are problems naming the step.
/// </summary>
internal static class MailHogReleaseApi
{
    public static IEndpointRouteBuilder MapMailHogReleaseApi(this IEndpointRouteBuilder app)
    {
        // MailHog answers 200 with an empty body; described as an (empty) text body so the document has no hole.
        app.MapPost("/api/v1/messages/{id}/release", ReleaseAsync).WithTags("MailHog compatibility").Produces<string>(StatusCodes.Status200OK, "text/plain");
        app.MapGet("/api/v2/outgoing-smtp", OutgoingSmtp).WithTags("MailHog compatibility");
        return app;
    }

    private static async Task<IResult> ReleaseAsync(
        string id, HttpRequest request, RelayTargets targets, MessageReleaser releaser, HubOriginPolicy origins, CancellationToken cancellationToken)
    {
        if (ReleaseProblems.CheckOrigin(request, origins) is { } forbidden)
        {
            return forbidden;
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var body = MailHogReleaseRequest.Parse(buffer.ToArray(), out var field, out var error);
        if (body is null)
        {
            return ApiProblems.BadParameter(field!, error!);
        }

        if (body.Save)
        {
            return ApiProblems.BadParameter("save", "Saving a server from a release request is not supported: add it to Relay:Servers in the configuration.");
        }

        var target = Resolve(body, targets, out var email, out var problem);
        if (target is null)
        {
            return problem!;
        }

        try
        {
            var result = await releaser.ReleaseAsync(id, target, [email], cancellationToken);
            return result is null ? ApiProblems.NotFound("Message", id) : MailHogV1Api.EmptyOk();
        }
        catch (ReleaseRefusedException ex)
        {
            return ApiProblems.BadParameter("email", ex.Message);
        }
        catch (RelayException ex)
        {
            return ReleaseProblems.RelayFailed(ex);
        }
    }

    private static RelayTarget? Resolve(MailHogReleaseRequest body, RelayTargets targets, out string email, out ProblemHttpResult? problem)
    {
        email = body.Email;
        problem = null;
        if (body.Name.Length > 0)
        {
            if (!targets.TryGetNamed(body.Name, out var named, out var server))
            {
                var known = string.Join(", ", targets.Servers.Select(s => s.Name));
                problem = ApiProblems.BadParameter("name", $"No outgoing server is named '{body.Name}'. Configured: {(known.Length > 0 ? known : "none (Relay:Servers)")}.");
                return null;
            }

            // As MailHog: the request's email wins over the server's default recipient.
            email = email.Length > 0 ? email : server.Email;
            return Checked(named, email, out problem);
        }

        if (!targets.AllowRequestServers)
        {
            problem = ApiProblems.BadParameter("host", "Releasing to a server named in the request is turned off (Relay:AllowRequestServers); name a configured server instead.");
            return null;
        }

        if (body.Host.Length == 0 || Uri.CheckHostName(body.Host) == UriHostNameType.Unknown)
        {
            problem = ApiProblems.BadParameter("host", $"'host' must be the SMTP server's host name or address, got '{body.Host}'.");
            return null;
        }

        if (!RelayNames.TryParseAuth(body.Mechanism, out var mechanism))
        {
            problem = ApiProblems.BadParameter("mechanism", $"'mechanism' must be PLAIN, LOGIN, CRAM-MD5 or CRAMMD5, got '{body.Mechanism}'.");
            return null;
        }

        // MailHog authenticates only when a username or password is given, with the mechanism named (PLAIN by default here).
        var auth = body.Username.Length > 0 || body.Password.Length > 0 ? (mechanism == RelayAuth.None ? RelayAuth.Plain : mechanism) : RelayAuth.None;
        var target = new RelayTarget(body.Host, body.Port ?? 25, RelayTls.None, false, auth, body.Username, body.Password);
        return Checked(target, email, out problem);
    }

    private static RelayTarget? Checked(RelayTarget target, string email, out ProblemHttpResult? problem)
    {
        problem = email.Length == 0 ? ApiProblems.BadParameter("email", "'email' (the recipient to release the message to) is required.") : null;
        return problem is null ? target : null;
    }

    /// <summary>MailHog's map of name to server; passwords are never sent back (MailHog shows them).</summary>
    private static Ok<Dictionary<string, MailHogOutgoingSmtp>> OutgoingSmtp(RelayTargets targets) =>
        TypedResults.Ok(targets.Servers.ToDictionary(
            s => s.Name,
            s => new MailHogOutgoingSmtp(s.Name, false, s.Email, s.Host, s.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Username, "", MechanismName(s.Mechanism))));

    private static string MechanismName(string mechanism) =>
        RelayNames.TryParseAuth(mechanism, out var m) ? m switch
        {
            RelayAuth.Plain => "PLAIN",
            RelayAuth.Login => "LOGIN",
            RelayAuth.CramMd5 => "CRAMMD5",
            _ => "",
        } : "";
}

/// <summary>MailHog's config.OutgoingSMTP as its API shows it (Port is a string there).</summary>
internal sealed record MailHogOutgoingSmtp(string Name, bool Save, string Email, string Host, string Port, string Username, string Password, string Mechanism);
