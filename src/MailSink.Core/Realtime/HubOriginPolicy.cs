using MailSink.Options;
using Microsoft.Extensions.Options;

namespace MailSink.Realtime;

/// <summary>
/// Decides whether a browser page may open the hub. Without this any web page the developer visits could
/// open a WebSocket to localhost:8025 and read every captured mail (cross-site WebSocket hijacking, which
/// Mailpit had to fix). Allowed: requests without an Origin header (non-browser clients), the UI's own
/// origin (same host and port as the request), and <see cref="WebOptions.AllowedOrigins"/>.
/// </summary>
internal sealed class HubOriginPolicy(IOptionsMonitor<WebOptions> options)
{
    public bool IsAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        if (!Uri.TryCreate(origin, UriKind.Absolute, out var originUri)
            || (originUri.Scheme != Uri.UriSchemeHttp && originUri.Scheme != Uri.UriSchemeHttps))
        {
            // Includes the literal "null" origin of sandboxed frames and file:// pages.
            return false;
        }

        if (IsSameHostAndPort(originUri, request))
        {
            return true;
        }

        var normalized = originUri.GetLeftPart(UriPartial.Authority);
        foreach (var allowed in options.CurrentValue.AllowedOrigins)
        {
            if (string.Equals(allowed.TrimEnd('/'), normalized, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSameHostAndPort(Uri origin, HttpRequest request)
    {
        if (!request.Host.HasValue)
        {
            return false;
        }

        var requestPort = request.Host.Port ?? (request.IsHttps ? 443 : 80);
        return string.Equals(origin.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)
            && origin.Port == requestPort;
    }
}
