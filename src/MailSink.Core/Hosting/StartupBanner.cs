using System.Net;
using System.Text;
using MailSink.Options;
using MailSink.Smtp;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace MailSink.Hosting;

/// <summary>
/// One banner once everything listens (SMTP and HTTP): where the inbox is, each SMTP listener with its port
/// and TLS mode (and the ones that could not bind), the data folder and the certificate's fingerprint. It
/// replaces the host's "Now listening on" lines and one log line per listener and address. When MailSink is
/// reachable beyond this machine it says so first, in one warning: without Web authentication anyone who can
/// reach the ports can read (and delete) the mail; with it, the SMTP ports still take mail from anyone.
/// </summary>
internal sealed partial class StartupBanner(
    IHostApplicationLifetime lifetime,
    IServer server,
    SmtpEndpoints endpoints,
    CertificateProvider certificates,
    DataDirectory dataDirectory,
    IOptions<ServerOptions> serverOptions,
    IOptions<WebOptions> webOptions,
    ILogger<StartupBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // ApplicationStarted fires after every hosted service started, Kestrel included: its addresses are known then.
        lifetime.ApplicationStarted.Register(Print);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Print()
    {
        var addresses = BindAddresses.Parse(serverOptions.Value.Bind);
        if (addresses.Any(a => !IPAddress.IsLoopback(a)))
        {
            if (webOptions.Value.RequiresAuthentication)
            {
                Log.ReachableBeyondLoopbackWithAuthentication(logger, serverOptions.Value.Bind);
            }
            else
            {
                Log.ReachableBeyondLoopback(logger, serverOptions.Value.Bind);
            }
        }

        Log.Banner(logger, Compose());
    }

    private string Compose()
    {
        var text = new StringBuilder();
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"MailSink {BuildInfo.Version} is ready. Press Ctrl+C to stop.");
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\n  Inbox:        {InboxUrl()}");
        foreach (var listener in endpoints.All.GroupBy(e => e.Name))
        {
            var first = listener.First();
            var where = string.Join(", ", listener.Select(e => e.EndPoint.Address.ToString()));
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\n  SMTP {first.Name,-11} port {first.EndPoint.Port,-5} {TlsMode(first.Tls),-12} on {where}");
        }

        foreach (var failed in endpoints.Failed)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\n  SMTP {failed.Name,-11} port {failed.Port,-5} NOT LISTENING: {Headline(failed.Reason)} (see the warning above)");
        }

        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\n  Data folder:  {dataDirectory.Path}");
        if (endpoints.All.Any(e => e.Tls != nameof(ListenerTls.None)))
        {
            var certificate = certificates.Get();
            var kind = CertificateFingerprint.IsSelfSigned(certificate) ? "self-signed" : certificate.Subject;
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\n  Certificate:  SHA-256 {CertificateFingerprint.Sha256(certificate)} ({kind}, {certificates.Source})");
        }

        return text.ToString();
    }

    private string InboxUrl()
    {
        var urls = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        if (urls.Count == 0)
        {
            return "(no HTTP listener: in-process test server)";
        }

        // A wildcard bind is reachable from here as localhost; show an address a browser can open.
        var first = urls.First()
            .Replace("://0.0.0.0:", "://localhost:", StringComparison.Ordinal)
            .Replace("://[::]:", "://localhost:", StringComparison.Ordinal);
        return urls.Count == 1 ? first : $"{first} (also {string.Join(", ", urls.Skip(1))})";
    }

    /// <summary>The reason's first clause; the warning logged by the binder has the whole advice.</summary>
    private static string Headline(string reason) => reason.Split(';')[0];

    private static string TlsMode(string tls) => tls switch
    {
        nameof(ListenerTls.None) => "no TLS",
        nameof(ListenerTls.StartTls) => "STARTTLS",
        nameof(ListenerTls.Implicit) => "implicit TLS",
        _ => tls,
    };

    private static partial class Log
    {
        [LoggerMessage(4001, LogLevel.Information, "{Banner}")]
        public static partial void Banner(ILogger logger, string banner);

        [LoggerMessage(4002, LogLevel.Warning,
            "MailSink is bound to {Bind}, beyond this machine's loopback, without authentication: anyone who can reach these ports can read and delete every message in the inbox and send mail into it. "
            + "Use --bind 127.0.0.1 unless others must reach it, or set Web:HtpasswdFile or Web:ApiToken. See SECURITY.md.")]
        public static partial void ReachableBeyondLoopback(ILogger logger, string bind);

        [LoggerMessage(4003, LogLevel.Warning,
            "MailSink is bound to {Bind}, beyond this machine's loopback: the inbox and API need credentials, but anyone who can reach the SMTP ports can send mail into it.")]
        public static partial void ReachableBeyondLoopbackWithAuthentication(ILogger logger, string bind);
    }
}
