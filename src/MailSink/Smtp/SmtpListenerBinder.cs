using System.Net;
using System.Net.Sockets;
using MailSink.Options;
using Microsoft.Extensions.Options;

namespace MailSink.Smtp;

/// <summary>
/// Binds every enabled listener's sockets before SmtpServer starts. SmtpServer fails a listener
/// whose port is taken silently (FIELD-NOTES), so binding here lets us name the listener, the port
/// and the fix, keep the others running, and stop when none could bind.
/// </summary>
internal sealed partial class SmtpListenerBinder(IOptions<SmtpOptions> smtp, IOptions<ServerOptions> server, ILogger<SmtpListenerBinder> logger)
{
    public IReadOnlyList<BoundListener> BindAll()
    {
        var bound = new List<BoundListener>();
        var addresses = BindAddresses.Parse(server.Value.Bind);
        foreach (var (name, options) in Enabled(smtp.Value))
        {
            int? chosenPort = null;
            foreach (var address in addresses)
            {
                // With port 0 the first address picks a free port and the others reuse it.
                var port = chosenPort ?? options.Port;
                var socket = new TcpListener(address, port);
                if (address.Equals(IPAddress.IPv6Any))
                {
                    socket.Server.DualMode = true;
                }

                try
                {
                    socket.Start(backlog: 512);
                }
                catch (SocketException ex)
                {
                    socket.Dispose();
                    Log.BindFailed(logger, name, address.ToString(), port, Explain(ex, port, name));
                    continue;
                }

                chosenPort = ((IPEndPoint)socket.LocalEndpoint).Port;
                bound.Add(new BoundListener(name, options, socket));
                Log.Listening(logger, name, socket.LocalEndpoint.ToString() ?? "", options.Tls.ToString());
            }
        }

        return bound;
    }

    private static IEnumerable<(string Name, ListenerOptions Options)> Enabled(SmtpOptions o)
    {
        if (o.Smtp.Enabled)
        {
            yield return ("smtp", o.Smtp);
        }

        if (o.Submission.Enabled)
        {
            yield return ("submission", o.Submission);
        }

        if (o.Smtps.Enabled)
        {
            yield return ("smtps", o.Smtps);
        }
    }

    private static string Explain(SocketException ex, int port, string name) => ex.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse => $"port {port} is already in use; stop the other program or pick another port with --{PortSwitch(name)}",
        SocketError.AccessDenied => $"port {port} needs privileges (ports below 1024); run with CAP_NET_BIND_SERVICE, pick a port above 1023 with --{PortSwitch(name)}, or disable it with --Smtp:{Capitalise(name)}:Enabled=false",
        SocketError.AddressNotAvailable => "that address is not on this machine; check --bind",
        _ => ex.Message,
    };

    private static string PortSwitch(string name) => $"{name}-port";

    private static string Capitalise(string name) => char.ToUpperInvariant(name[0]) + name[1..];

    private static partial class Log
    {
        [LoggerMessage(1001, LogLevel.Error, "SMTP listener {Listener} could not bind {Address} port {Port}: {Reason}. The other listeners keep running.")]
        public static partial void BindFailed(ILogger logger, string listener, string address, int port, string reason);

        [LoggerMessage(1002, LogLevel.Information, "SMTP listener {Listener} on {EndPoint} (TLS: {Tls})")]
        public static partial void Listening(ILogger logger, string listener, string endPoint, string tls);
    }
}
