using System.Text;

namespace MailSink.Diagnostics.Dns;

/// <summary>
/// Reads the overrides file: one record per line, <c>name TYPE value</c>, <c>#</c> starts a comment outside quotes.
/// A TXT value may be one or more quoted strings that are joined, as in a zone file (RFC 1035 section 5.1;
/// a DKIM key longer than 255 octets must be split that way, RFC 6376 section 3.6.2.2).
/// </summary>
internal static class DnsOverridesParser
{
    /// <exception cref="FormatException">A line is not a record; the message names the line number.</exception>
    public static DnsOverrideTable Parse(string text)
    {
        var records = new Dictionary<string, Dictionary<DnsRecordType, List<string>>>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var rawLine in text.ReplaceLineEndings("\n").Split('\n'))
        {
            lineNumber++;
            var line = StripComment(rawLine).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3)
            {
                throw new FormatException($"line {lineNumber}: expected '<name> <TYPE> <value>', got '{line}'");
            }

            if (!TryParseType(parts[1], out var type))
            {
                throw new FormatException($"line {lineNumber}: record type '{parts[1]}' is not one of TXT, A, AAAA, MX, PTR, CNAME");
            }

            var value = type == DnsRecordType.Txt ? ReadTxt(parts[2], lineNumber) : parts[2].Trim();
            if (type is DnsRecordType.A or DnsRecordType.Aaaa && !System.Net.IPAddress.TryParse(value, out _))
            {
                throw new FormatException($"line {lineNumber}: '{value}' is not an IP address for an {parts[1].ToUpperInvariant()} record");
            }

            var name = DnsOverrideTable.Normalize(parts[0]);
            if (!records.TryGetValue(name, out var byType))
            {
                records[name] = byType = [];
            }

            if (!byType.TryGetValue(type, out var values))
            {
                byType[type] = values = [];
            }

            values.Add(type is DnsRecordType.Cname or DnsRecordType.Ptr ? DnsOverrideTable.Normalize(value) : value);
        }

        return new DnsOverrideTable(records);
    }

    private static bool TryParseType(string text, out DnsRecordType type)
    {
        type = text.ToUpperInvariant() switch
        {
            "TXT" => DnsRecordType.Txt,
            "A" => DnsRecordType.A,
            "AAAA" => DnsRecordType.Aaaa,
            "MX" => DnsRecordType.Mx,
            "PTR" => DnsRecordType.Ptr,
            "CNAME" => DnsRecordType.Cname,
            _ => (DnsRecordType)(-1),
        };
        return Enum.IsDefined(type);
    }

    private static string StripComment(string line)
    {
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            switch (line[i])
            {
                case '\\' when quoted: i++; break;
                case '"': quoted = !quoted; break;
                case '#' when !quoted: return line[..i];
            }
        }

        return line;
    }

    /// <summary>Unquoted: the rest of the line. Quoted: every "..." string joined, with \" and \\ escapes.</summary>
    private static string ReadTxt(string value, int lineNumber)
    {
        value = value.Trim();
        if (!value.StartsWith('"'))
        {
            return value;
        }

        var result = new StringBuilder();
        var i = 0;
        while (i < value.Length)
        {
            if (char.IsWhiteSpace(value[i]) || value[i] is '(' or ')')
            {
                i++;
                continue;
            }

            if (value[i] != '"')
            {
                throw new FormatException($"line {lineNumber}: text outside quotes in a quoted TXT value: '{value[i..]}'");
            }

            i++;
            var closed = false;
            while (i < value.Length)
            {
                var c = value[i++];
                if (c == '\\' && i < value.Length)
                {
                    result.Append(value[i++]);
                }
                else if (c == '"')
                {
                    closed = true;
                    break;
                }
                else
                {
                    result.Append(c);
                }
            }

            if (!closed)
            {
                throw new FormatException($"line {lineNumber}: a TXT string is missing its closing quote");
            }
        }

        return result.ToString();
    }
}
