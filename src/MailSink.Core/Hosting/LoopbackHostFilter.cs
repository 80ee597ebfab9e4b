using System.Net;
using MailSink.Options;
using Microsoft.AspNetCore.HostFiltering;

namespace MailSink.Hosting;

/// <summary>
/// DNS rebinding defence. A page on evil.example can make its own name resolve to 127.0.0.1 and then read
/// http://evil.example:8025/api/v1/messages as a same-origin request: no CORS or Origin check applies.
/// When MailSink listens on loopback only, the Host header must therefore name this machine (localhost,
/// a loopback address or the configured host name); anything else gets 400 from ASP.NET's host filtering.
/// Bound to other addresses (Docker, --bind 0.0.0.0) clients legitimately use any name, so nothing is filtered.
/// </summary>
internal static class LoopbackHostFilter
{
    public static IServiceCollection AddLoopbackHostFilter(this IServiceCollection services, IConfiguration configuration)
    {
        var server = configuration.GetSection(ServerOptions.SectionName).Get<ServerOptions>() ?? new ServerOptions();
        IReadOnlyList<IPAddress> addresses;
        try
        {
            addresses = BindAddresses.Parse(server.Bind);
        }
        catch (FormatException)
        {
            // Options validation reports the bad --bind value by name at start-up.
            return services;
        }

        var userConfigured = configuration["AllowedHosts"] is { Length: > 0 } hosts && hosts != "*";
        if (userConfigured || !addresses.All(IPAddress.IsLoopback))
        {
            return services;
        }

        services.Configure<HostFilteringOptions>(o =>
        {
            var allowed = new List<string> { "localhost", "127.0.0.1", "[::1]", Dns.GetHostName() };
            if (!string.IsNullOrWhiteSpace(server.Hostname))
            {
                allowed.Add(server.Hostname.Trim());
            }

            o.AllowedHosts = allowed.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            o.AllowEmptyHosts = true;
        });
        return services;
    }
}
