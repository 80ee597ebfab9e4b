using System.Net;
using MailSink.Options;
using Microsoft.Extensions.Options;

namespace MailSink.Api.Auth;

/// <summary>
/// Says at start-up when the web UI and API answer beyond this machine with no authentication: anyone who can
/// reach the port reads (and deletes) every captured message, password reset links included.
/// </summary>
internal sealed partial class ExposureWarning(
    IOptions<ServerOptions> server,
    IOptions<WebOptions> web,
    ILogger<ExposureWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var exposed = BindAddresses.Parse(server.Value.Bind).Where(a => !IPAddress.IsLoopback(a)).ToList();
        if (exposed.Count > 0 && !web.Value.RequiresAuthentication)
        {
            Log.UnauthenticatedBeyondLoopback(logger, string.Join(", ", exposed), web.Value.HttpPort);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(5001, LogLevel.Warning,
            "The web UI and API listen on {Addresses} (port {Port}) without authentication: anyone who can reach them can read and delete every captured message. "
            + "Set Web:HtpasswdFile or Web:ApiToken, or bind to loopback (--bind 127.0.0.1). See SECURITY.md.")]
        public static partial void UnauthenticatedBeyondLoopback(ILogger logger, string addresses, int port);
    }
}
