using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace MailSink.Diagnostics.SpamAssassin;

/// <summary>One rule that fired (Mailpit "Rule").</summary>
internal sealed record SpamRule(string Name, double Score, string Description);

/// <summary>Mailpit's "SpamAssassinResponse": the verdict, the score and the rules, or an Error.</summary>
internal sealed record SpamAssassinResult(string Error, bool IsSpam, double Score, IReadOnlyList<SpamRule> Rules);

/// <summary>
/// Asks a SpamAssassin spamd about one message with the spamc protocol's REPORT command (spamd(1), PROTOCOL
/// "SPAMC/1.5"): the verdict comes from the <c>Spam:</c> header, the rules from the report's
/// "pts rule name description" table. Only used when <see cref="DiagnosticsOptions.SpamAssassin"/> names a spamd;
/// a spamd that cannot be reached gives a result with an Error, as in Mailpit.
/// </summary>
internal sealed partial class SpamdClient(IOptions<DiagnosticsOptions> options)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public bool Configured => options.Value.SpamAssassin.Length > 0;

    public static bool TryParseAddress(string value, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return false;
        }

        host = value[..colon].Trim('[', ']');
        return host.Length > 0;
    }

    public async Task<SpamAssassinResult> CheckAsync(byte[] message, CancellationToken cancellationToken)
    {
        if (!TryParseAddress(options.Value.SpamAssassin, out var host, out var port))
        {
            throw new InvalidOperationException("Diagnostics:SpamAssassin is not set to host:port; the API checks it before asking.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        string answer;
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, timeout.Token);
            await using var stream = client.GetStream();
            var request = Encoding.ASCII.GetBytes($"REPORT SPAMC/1.5\r\nContent-length: {message.Length}\r\n\r\n");
            await stream.WriteAsync(request, timeout.Token);
            await stream.WriteAsync(message, timeout.Token);
            client.Client.Shutdown(SocketShutdown.Send);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            answer = await reader.ReadToEndAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return Failed($"spamd at {options.Value.SpamAssassin} did not answer: {(ex is OperationCanceledException ? $"no reply within {Timeout.TotalSeconds:0} s" : ex.Message)}");
        }

        return Parse(answer);
    }

    internal static SpamAssassinResult Parse(string answer)
    {
        var headerEnd = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = headerEnd < 0 ? answer : answer[..headerEnd];
        var lines = head.Split("\r\n");
        if (lines.Length == 0 || StatusLine().Match(lines[0]) is not { Success: true } status)
        {
            return Failed($"spamd answered something else than SPAMD/1.x: {lines.FirstOrDefault()}");
        }

        if (status.Groups["code"].Value != "0")
        {
            return Failed($"spamd refused the check: {lines[0]}");
        }

        var verdict = lines.Select(l => SpamHeader().Match(l)).FirstOrDefault(m => m.Success);
        if (verdict is null)
        {
            return Failed("spamd's answer has no Spam: header");
        }

        var isSpam = verdict.Groups["spam"].Value.Equals("True", StringComparison.OrdinalIgnoreCase) || verdict.Groups["spam"].Value.Equals("Yes", StringComparison.OrdinalIgnoreCase);
        var score = double.Parse(verdict.Groups["score"].Value, CultureInfo.InvariantCulture);
        var body = headerEnd < 0 ? "" : answer[(headerEnd + 4)..];
        return new SpamAssassinResult("", isSpam, score, ParseRules(body));
    }

    /// <summary>The rows after the dashed line of "pts rule name description"; indented lines continue a description.</summary>
    private static List<SpamRule> ParseRules(string report)
    {
        var rules = new List<SpamRule>();
        var inTable = false;
        foreach (var line in report.ReplaceLineEndings("\n").Split('\n'))
        {
            if (!inTable)
            {
                inTable = line.StartsWith("---- ", StringComparison.Ordinal);
                continue;
            }

            if (RuleLine().Match(line) is { Success: true } rule)
            {
                rules.Add(new SpamRule(rule.Groups["name"].Value, double.Parse(rule.Groups["score"].Value, CultureInfo.InvariantCulture), rule.Groups["text"].Value.Trim()));
            }
            else if (line.Trim().Length > 0 && rules.Count > 0 && char.IsWhiteSpace(line[0]))
            {
                var last = rules[^1];
                rules[^1] = last with { Description = $"{last.Description} {line.Trim()}" };
            }
            else if (line.Trim().Length == 0 && rules.Count > 0)
            {
                break;
            }
        }

        return rules;
    }

    private static SpamAssassinResult Failed(string error) => new(error, false, 0, []);

    [GeneratedRegex(@"^SPAMD/\d+\.\d+ (?<code>\d+) ")]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"^Spam: (?<spam>\w+) ; (?<score>-?\d+(?:\.\d+)?) / ", RegexOptions.IgnoreCase)]
    private static partial Regex SpamHeader();

    [GeneratedRegex(@"^\s*(?<score>-?\d+(?:\.\d+)?) (?<name>[A-Z0-9_]+)\s+(?<text>.*)$")]
    private static partial Regex RuleLine();
}
