using System.Net;

namespace MailSink.Options;

/// <summary>Parses the --bind list ("127.0.0.1,::1", "0.0.0.0", "*").</summary>
internal static class BindAddresses
{
    public static IReadOnlyList<IPAddress> Parse(string value)
    {
        var result = new List<IPAddress>();
        foreach (var part in value.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            if (part is "*" or "any")
            {
                // One dual-mode IPv6 socket takes IPv4 too; the binder sets DualMode.
                result.Add(IPAddress.IPv6Any);
                continue;
            }

            if (part == "localhost")
            {
                result.Add(IPAddress.Loopback);
                result.Add(IPAddress.IPv6Loopback);
                continue;
            }

            if (!IPAddress.TryParse(part.Trim('[', ']'), out var address))
            {
                throw new FormatException($"'{part}' is not an IP address (use e.g. 127.0.0.1, ::1, 0.0.0.0 or *)");
            }

            result.Add(address);
        }

        if (result.Count == 0)
        {
            throw new FormatException("no address given");
        }

        return result.Distinct().ToList();
    }
}
