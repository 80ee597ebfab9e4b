using System.Net;
using Microsoft.Extensions.Options;

namespace MailSink.Options;

/// <summary>The host name MailSink uses in its greeting, Received header and certificate.</summary>
internal sealed class ServerIdentity(IOptions<ServerOptions> options)
{
    public string Hostname { get; } = string.IsNullOrWhiteSpace(options.Value.Hostname) ? SafeHostName() : options.Value.Hostname.Trim();

    private static string SafeHostName()
    {
        var name = Dns.GetHostName();
        return string.IsNullOrWhiteSpace(name) ? "localhost" : name;
    }
}
