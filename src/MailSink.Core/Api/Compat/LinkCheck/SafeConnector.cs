using System.Net;
using System.Net.Sockets;

namespace MailSink.Api.Compat.LinkCheck;

/// <summary>A connection was refused because the host resolved to an address <see cref="PublicAddressPolicy"/> blocks.</summary>
internal sealed class BlockedAddressException(string host, IPAddress address, string reason)
    : IOException($"{host} resolves to {address}, a {reason} address: not fetched");

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of the link checker: resolves the host itself and connects
/// only to addresses that pass <see cref="PublicAddressPolicy"/>, checked after DNS so a public name pointing at
/// 127.0.0.1 (or rebinding to it) is caught. Every connection goes through here, redirects included.
/// </summary>
internal static class SafeConnector
{
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);

        // Refuse when any answer is blocked: a mixed answer is how rebinding attacks hedge.
        foreach (var address in addresses)
        {
            if (PublicAddressPolicy.WhyBlocked(address) is { } reason)
            {
                throw new BlockedAddressException(host, address, reason);
            }
        }

        if (addresses.Length == 0)
        {
            throw new IOException($"{host} has no address");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
