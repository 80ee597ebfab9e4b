using Microsoft.Net.Http.Headers;

namespace MailSink.Api.Auth;

/// <summary>
/// Optional authentication for the web UI, the API and the hub (SMTP is not affected). Off unless
/// Web:HtpasswdFile or Web:ApiToken is set. The health probes stay open: container runtimes and load
/// balancers probe them without credentials, and they tell nothing about the mail.
/// </summary>
internal static class WebAuthentication
{
    private const string Realm = "MailSink";

    private static readonly string[] OpenPaths = ["/livez", "/readyz"];

    public static IServiceCollection AddWebAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<WebCredentials>();
        return services;
    }

    public static WebApplication UseWebAuthentication(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            // Resolved per request, not here: building the app must not read the users file before the
            // options validation has had its say about it.
            var credentials = context.RequestServices.GetRequiredService<WebCredentials>();
            if (!credentials.IsRequired || OpenPaths.Any(p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase)))
            {
                await next(context);
                return;
            }

            var accepted = credentials.Check(context.Request);
            if (accepted == true)
            {
                await next(context);
                return;
            }

            await ChallengeAsync(context, credentials, hadCredentials: accepted is not null);
        });
        return app;
    }

    /// <summary>401 as an RFC 9457 problem, with a challenge for each scheme that is configured (RFC 9110 section 11.6.1).</summary>
    private static async Task ChallengeAsync(HttpContext context, WebCredentials credentials, bool hadCredentials)
    {
        var challenges = new List<string>();
        var ways = new List<string>();
        if (credentials.AcceptsBasic)
        {
            // The Basic challenge is what makes a browser ask for a user name and password (RFC 7617).
            challenges.Add($"Basic realm=\"{Realm}\", charset=\"UTF-8\"");
            ways.Add("HTTP Basic credentials of a user in Web:HtpasswdFile");
        }

        if (credentials.AcceptsBearer)
        {
            challenges.Add(hadCredentials ? $"Bearer realm=\"{Realm}\", error=\"invalid_token\"" : $"Bearer realm=\"{Realm}\"");
            ways.Add("the Web:ApiToken as 'Authorization: Bearer <token>'");
        }

        context.Response.Headers[HeaderNames.WWWAuthenticate] = challenges.ToArray();
        await TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: hadCredentials ? "Credentials not accepted" : "Authentication required",
            detail: (hadCredentials ? "The credentials sent were not accepted. " : "MailSink's web UI and API require authentication. ")
                + $"Send {string.Join(", or ", ways)}.").ExecuteAsync(context);
    }
}
