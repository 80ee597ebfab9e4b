using System.Net;
using System.Net.Sockets;

namespace MailSink.Api.Compat.LinkCheck;

/// <summary>
/// Which addresses a server-side fetch may connect to: only globally routable unicast ones. A link in a message
/// is attacker-chosen, so a link checker that connects to loopback, the LAN, link-local (cloud metadata at
/// 169.254.169.254), unique-local, multicast or reserved ranges is an SSRF tool (Mailpit's GHSA advisories on
/// link-check). IPv4-mapped and other IPv6 forms that carry an IPv4 address are refused outright rather than
/// unwrapped, so no encoding of a private address slips through.
/// </summary>
internal static class PublicAddressPolicy
{
    /// <summary>Null when <paramref name="address"/> may be connected to, otherwise why not.</summary>
    public static string? WhyBlocked(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return WhyBlockedV4(address.GetAddressBytes());
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "not an IP address";
        }

        if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
        {
            return "unspecified";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return "IPv4-mapped IPv6";
        }

        if (IPAddress.IsLoopback(address))
        {
            return "loopback";
        }

        var b = address.GetAddressBytes();
        return b switch
        {
            [0xfe, var x, ..] when (x & 0xc0) == 0x80 => "link-local",
            [0xfe, var x, ..] when (x & 0xc0) == 0xc0 => "site-local",
            [var x, ..] when (x & 0xfe) == 0xfc => "unique-local",
            [0xff, ..] => "multicast",
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ..] => "IPv4-compatible IPv6",
            [0x00, 0x64, 0xff, 0x9b, ..] => "NAT64 (embeds an IPv4 address)",
            [0x20, 0x02, ..] => "6to4 (embeds an IPv4 address)",
            [0x20, 0x01, 0x00, 0x00, ..] => "Teredo (embeds an IPv4 address)",
            [0x20, 0x01, 0x0d, 0xb8, ..] => "documentation",
            [0x01, 0x00, 0, 0, 0, 0, 0, 0, ..] => "discard-only",
            _ => null,
        };
    }

    private static string? WhyBlockedV4(byte[] b) => b switch
    {
        [0, ..] => "unspecified (0.0.0.0/8)",
        [127, ..] => "loopback",
        [10, ..] => "private (10.0.0.0/8)",
        [172, var x, ..] when x is >= 16 and <= 31 => "private (172.16.0.0/12)",
        [192, 168, ..] => "private (192.168.0.0/16)",
        [169, 254, ..] => "link-local",
        [100, var x, ..] when x is >= 64 and <= 127 => "shared address space (100.64.0.0/10)",
        [192, 0, 0, _] => "IETF protocol assignments (192.0.0.0/24)",
        [192, 0, 2, _] or [198, 51, 100, _] or [203, 0, 113, _] => "documentation",
        [198, var x, ..] when x is 18 or 19 => "benchmarking (198.18.0.0/15)",
        [var x, ..] when x >= 224 => "multicast or reserved",
        _ => null,
    };
}
