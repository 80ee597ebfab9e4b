using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailSink.Diagnostics.Spf;

/// <summary>RFC 7208 section 7: macro expansion of a domain-spec.</summary>
internal static class SpfMacroExpander
{
    private const string Delimiters = ".-+,/_=";

    /// <exception cref="FormatException">A malformed macro (a permerror, RFC 7208 section 7.1).</exception>
    public static string Expand(string spec, SpfContext context, string domain)
    {
        if (!spec.Contains('%'))
        {
            return spec;
        }

        var result = new StringBuilder();
        for (var i = 0; i < spec.Length; i++)
        {
            if (spec[i] != '%')
            {
                result.Append(spec[i]);
                continue;
            }

            if (++i >= spec.Length)
            {
                throw new FormatException("a '%' at the end of a domain-spec");
            }

            switch (spec[i])
            {
                case '%': result.Append('%'); continue;
                case '_': result.Append(' '); continue;
                case '-': result.Append("%20"); continue;
                case '{': break;
                default: throw new FormatException($"'%{spec[i]}' is not a macro");
            }

            var close = spec.IndexOf('}', i);
            if (close < 0)
            {
                throw new FormatException("a macro is missing its '}'");
            }

            result.Append(ExpandOne(spec[(i + 1)..close], context, domain));
            i = close;
        }

        return result.ToString();
    }

    private static string ExpandOne(string macro, SpfContext context, string domain)
    {
        if (macro.Length == 0)
        {
            throw new FormatException("an empty macro");
        }

        var letter = macro[0];
        var value = char.ToLowerInvariant(letter) switch
        {
            's' => context.Sender,
            'l' => context.Sender[..Math.Max(0, context.Sender.LastIndexOf('@'))] is { Length: > 0 } local ? local : "postmaster",
            'o' => context.Sender[(context.Sender.LastIndexOf('@') + 1)..],
            'd' => domain,
            'i' => Dotted(context.Ip),
            'p' => "unknown",
            'v' => context.Ip.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6" : "in-addr",
            'h' => context.Helo,
            _ => throw new FormatException($"'%{{{letter}}}' is not a macro letter"),
        };

        var rest = macro[1..];
        var digits = new string(rest.TakeWhile(char.IsAsciiDigit).ToArray());
        rest = rest[digits.Length..];
        var reverse = rest.StartsWith('r') || rest.StartsWith('R');
        var delimiters = reverse ? rest[1..] : rest;
        if (delimiters.Any(c => !Delimiters.Contains(c)))
        {
            throw new FormatException($"'{macro}' has an unknown transformer");
        }

        var parts = value.Split(delimiters.Length == 0 ? ['.'] : delimiters.ToCharArray()).ToList();
        if (reverse)
        {
            parts.Reverse();
        }

        if (digits.Length > 0)
        {
            var keep = int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
            if (keep == 0)
            {
                throw new FormatException("a macro keeps zero labels");
            }

            parts = parts.Skip(Math.Max(0, parts.Count - keep)).ToList();
        }

        var expanded = string.Join('.', parts);
        return char.IsUpper(letter) ? Uri.EscapeDataString(expanded) : expanded;
    }

    /// <summary>IPv4 as dotted quad; IPv6 as dot-separated nibbles (RFC 7208 section 7.3).</summary>
    private static string Dotted(IPAddress ip) => ip.AddressFamily == AddressFamily.InterNetworkV6
        ? string.Join('.', Convert.ToHexStringLower(ip.GetAddressBytes()).ToCharArray())
        : ip.ToString();
}
