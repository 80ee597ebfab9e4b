using System.Net;
using System.Net.Sockets;

namespace MailSink.Diagnostics.Spf;

/// <summary>
/// CIDR matching for ip4, ip6, a and mx (RFC 7208 section 5.6). Both sides are masked, because SPF allows a network
/// written with host bits set ("ip4:192.0.2.1/24").
/// </summary>
internal static class SpfNetworks
{
    public static bool Matches(IPAddress ip, IPAddress network, int prefix)
    {
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        if (ip.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        var x = ip.GetAddressBytes();
        var y = network.GetAddressBytes();
        for (var i = 0; i < x.Length && prefix > 0; i++, prefix -= 8)
        {
            var mask = prefix >= 8 ? 0xFF : (byte)(0xFF << (8 - prefix));
            if ((x[i] & mask) != (y[i] & mask))
            {
                return false;
            }
        }

        return true;
    }

    public static int MaxPrefix(IPAddress ip) => ip.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
}
