using System.Text.RegularExpressions;

namespace MailSink.Diagnostics.Spf;

/// <summary>The SPF record syntax (RFC 7208 section 4.6 and 12): terms, qualifiers, mechanisms, modifiers, CIDR lengths.</summary>
internal static partial class SpfRecordParser
{
    private static readonly string[] Mechanisms = ["all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"];

    /// <summary>Section 4.6: the whole record is parsed before evaluation; any syntax error is a permerror.</summary>
    public static List<SpfTerm> Parse(string record, string domain)
    {
        var terms = new List<SpfTerm>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var text in record.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var modifier = ModifierPattern().Match(text);
            if (modifier.Success)
            {
                var name = modifier.Groups["name"].Value.ToLowerInvariant();
                if (name is "redirect" or "exp" && !seen.Add(name))
                {
                    throw new SpfAbort("permerror", text, domain, $"'{name}=' appears twice in the record of {domain}");
                }

                terms.Add(new SpfTerm(text, ' ', "", modifier.Groups["value"].Value, null, null, name));
                continue;
            }

            var qualifier = text[0] is '+' or '-' or '~' or '?' ? text[0] : '+';
            var body = text[0] is '+' or '-' or '~' or '?' ? text[1..] : text;
            var match = DirectivePattern().Match(body);
            var mechanism = match.Success ? match.Groups["name"].Value.ToLowerInvariant() : "";
            if (!Mechanisms.Contains(mechanism))
            {
                throw new SpfAbort("permerror", text, domain, $"'{text}' in the record of {domain} is not an SPF mechanism");
            }

            var argument = match.Groups["arg"].Success ? match.Groups["arg"].Value : null;
            int? prefix4 = match.Groups["p4"].Success ? int.Parse(match.Groups["p4"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
            int? prefix6 = match.Groups["p6"].Success ? int.Parse(match.Groups["p6"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
            if (mechanism is "ip4" or "ip6")
            {
                // ip4/ip6 keep their "/len" in the argument and parse it themselves.
                argument = body.Contains(':') ? body[(body.IndexOf(':') + 1)..] : null;
                prefix4 = prefix6 = null;
            }

            var needsArgument = mechanism is "include" or "exists" or "ip4" or "ip6";
            var allowsCidr = mechanism is "a" or "mx";
            if ((needsArgument && string.IsNullOrEmpty(argument)) || (mechanism is "all" && (argument is not null || prefix4 is not null || prefix6 is not null))
                || (!allowsCidr && (prefix4 is not null || prefix6 is not null)) || prefix4 > 32 || prefix6 > 128 || argument is { Length: 0 })
            {
                throw new SpfAbort("permerror", text, domain, $"'{text}' in the record of {domain} is malformed");
            }

            terms.Add(new SpfTerm(text, qualifier, mechanism, argument, prefix4, prefix6, null));
        }

        return terms;
    }

    /// <summary>Section 4.3: a multi-label name with labels of 1-63 octets.</summary>
    public static bool IsValidDomain(string domain)
    {
        var labels = domain.Split('.');
        return domain.Length is > 0 and <= 253 && labels.Length >= 2 && labels.All(l => l.Length is > 0 and <= 63);
    }

    [GeneratedRegex(@"^(?<name>[A-Za-z][A-Za-z0-9\-_.]*)=(?<value>.*)$")]
    private static partial Regex ModifierPattern();

    [GeneratedRegex(@"^(?<name>[A-Za-z0-9]+)(:(?<arg>[^/]*(/(?!/?\d+(//\d+)?$)[^/]*)*))?(/(?<p4>\d+))?(//(?<p6>\d+))?$")]
    private static partial Regex DirectivePattern();
}
