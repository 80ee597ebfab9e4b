namespace MailSink.Cli;

/// <summary>The parsed arguments of <c>mailsink check</c>, or the usage error.</summary>
internal sealed record CheckArguments(string File, string? DnsOverrides, string? SenderIp, bool Json, bool DnsOn)
{
    public const string Usage = "usage: mailsink check <file.eml> [--dns-overrides FILE] [--sender-ip IP] [--dns on] [--json]";

    public static CheckArguments? TryParse(IReadOnlyList<string> args, out string? error)
    {
        string? file = null, overrides = null, senderIp = null;
        bool json = false, dnsOn = false;
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inline) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal) ? (n, v) : (args[i], null);
            string? Value() => inline ?? (i + 1 < args.Count ? args[++i] : null);
            switch (name)
            {
                case "--json": json = true; break;
                case "--dns-overrides": overrides = Value(); break;
                case "--sender-ip": senderIp = Value(); break;
                case "--dns": dnsOn = string.Equals(Value(), "on", StringComparison.OrdinalIgnoreCase); break;
                case var s when s.StartsWith('-') && s != "-":
                    error = $"mailsink check: unknown option '{s}'; {Usage}";
                    return null;
                default:
                    if (file is not null)
                    {
                        error = $"mailsink check: one file at a time, got '{file}' and '{args[i]}'; {Usage}";
                        return null;
                    }

                    file = args[i];
                    break;
            }
        }

        if (file is null)
        {
            error = $"mailsink check: no file given; {Usage}";
            return null;
        }

        return new CheckArguments(file, overrides, senderIp, json, dnsOn);
    }
}
