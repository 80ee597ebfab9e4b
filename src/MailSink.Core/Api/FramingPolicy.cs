using Microsoft.Net.Http.Headers;

namespace MailSink.Api;

/// <summary>
/// Clickjacking defence (issue 13, defect 8): a page on another origin framed the inbox and two clicks inside
/// the invisible frame deleted every message. Every response (UI, API, hub, errors) therefore says it may only
/// be framed by MailSink's own origin: CSP <c>frame-ancestors 'self'</c> for current browsers, and
/// <c>X-Frame-Options: SAMEORIGIN</c> for the ones that predate CSP level 2.
/// </summary>
internal static class FramingPolicy
{
    public const string FrameAncestors = "frame-ancestors 'self'";
    public const string XFrameOptions = "SAMEORIGIN";

    /// <summary>Goes first, so that error pages written by later middleware carry the headers too.</summary>
    public static WebApplication UseFramingPolicy(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            // OnStarting rather than now: handlers set their own policy later (the message-rendering routes send
            // a sandbox CSP), and the exception handler clears headers before it writes its problem.
            context.Response.OnStarting(static state => ApplyAsync((HttpResponse)state), context.Response);
            return next(context);
        });
        return app;
    }

    private static Task ApplyAsync(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = Merge(response.Headers.ContentSecurityPolicy.ToString());
        response.Headers[HeaderNames.XFrameOptions] = XFrameOptions;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Adds <see cref="FrameAncestors"/> to a policy a handler already set, keeping its directives (a browser
    /// enforces every CSP header it gets, so a second header would work too, but one is easier to read).
    /// A policy that already names its frame ancestors is left as it is.
    /// </summary>
    internal static string Merge(string existing)
    {
        var policy = existing.Trim().TrimEnd(';').Trim();
        if (policy.Length == 0)
        {
            return FrameAncestors;
        }

        var hasFrameAncestors = policy.Split(';').Any(d => d.Trim().StartsWith("frame-ancestors", StringComparison.OrdinalIgnoreCase));
        return hasFrameAncestors ? policy : $"{policy}; {FrameAncestors}";
    }
}
