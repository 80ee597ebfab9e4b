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
    /// <summary>The listeners that could not bind, one entry per listener (its addresses together).</summary>
    public IReadOnlyList<ListenerBindFailure> Failures { get; private set; } = [];

    public IReadOnlyList<BoundListener> BindAll()
    {
        var bound = new List<BoundListener>();
        var failures = new List<ListenerBindFailure>();
        var addresses = BindAddresses.Parse(server.Value.Bind);
        foreach (var (name, options) in Enabled(smtp.Value))
        {
            int? chosenPort = null;
            var failed = new List<(string Address, string Reason)>();
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
                    failed.Add((address.ToString(), Explain(ex, port, name)));
                    continue;
                }

                chosenPort = ((IPEndPoint)socket.LocalEndpoint).Port;
                bound.Add(new BoundListener(name, options, socket));
                Log.Listening(logger, name, socket.LocalEndpoint.ToString() ?? "", options.Tls.ToString());
            }

            // One line per listener, not one per address: a non-root start used to print four for 587 and 465.
            foreach (var reason in failed.GroupBy(f => f.Reason))
            {
                var where = string.Join(", ", reason.Select(f => f.Address));
                failures.Add(new ListenerBindFailure(name, options.Port, reason.Key));
                Log.BindFailed(logger, name, options.Port, where, reason.Key);
            }
        }

        Failures = failures;
        return bound;
    }

    private static IEnumerable<(string Name, ListenerOptions Options)> Enabled(SmtpOptions o)
    {
        if (o.Smtp.Enabled)
        {
            yield return (ListenerNames.Smtp, o.Smtp);
        }

        if (o.Submission.Enabled)
        {
            yield return (ListenerNames.Submission, o.Submission);
        }

        if (o.Smtps.Enabled)
        {
            yield return (ListenerNames.Smtps, o.Smtps);
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
        [LoggerMessage(1001, LogLevel.Warning, "SMTP listener {Listener} is not listening on port {Port} ({Addresses}): {Reason}. The other listeners keep running.")]
        public static partial void BindFailed(ILogger logger, string listener, int port, string addresses, string reason);

        // Debug: the start-up banner lists every listener once.
        [LoggerMessage(1002, LogLevel.Debug, "SMTP listener {Listener} on {EndPoint} (TLS: {Tls})")]
        public static partial void Listening(ILogger logger, string listener, string endPoint, string tls);
    }
}
