namespace MailSink.Cli;

/// <summary>
/// The sendmail command line as PHP's mail(), cron and legacy scripts call it. Only what changes the
/// submission is kept; the many queueing and delivery-mode options of real sendmail are accepted and
/// ignored, because MailSink has no queue: it submits at once or fails.
/// </summary>
internal sealed record SendmailArguments
{
    public const string ServerVariable = MailSink.Options.EnvironmentVariableNames.SendmailServer;
    public const string DefaultServer = "127.0.0.1:1025";

    /// <summary>-t: take recipients from the To, Cc and Bcc headers (in addition to any given as arguments).</summary>
    public bool RecipientsFromHeaders { get; init; }

    /// <summary>-i or -oi: a line with a single dot does not end the message.</summary>
    public bool IgnoreDots { get; init; }

    /// <summary>-f or -r: the envelope sender.</summary>
    public string? Sender { get; init; }

    /// <summary>-F: the full name used when the message has no From header.</summary>
    public string? FullName { get; init; }

    public IReadOnlyList<string> Recipients { get; init; } = [];

    /// <summary>--server host:port; null means MAILSINK_SENDMAIL_SERVER or 127.0.0.1:1025.</summary>
    public string? Server { get; init; }

    // Options of real sendmail that take a value (attached or as the next argument) and do not matter here.
    private static readonly HashSet<char> IgnoredWithValue = ['B', 'N', 'R', 'V', 'X', 'h', 'L', 'C', 'O', 'p', 'q', 'Q'];

    // Options of real sendmail without a value that do not matter here.
    private static readonly HashSet<char> IgnoredFlags = ['v', 'U', 'm', 'n', 'G', 'A', 'd', 'e', 'x'];

    /// <summary>Parses the arguments after "sendmail"; returns null with a one-line <paramref name="error"/> on misuse.</summary>
    public static SendmailArguments? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        var result = new SendmailArguments();
        var recipients = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                recipients.AddRange(args.Skip(i + 1));
                break;
            }

            if (arg == "--server" || arg.StartsWith("--server=", StringComparison.Ordinal))
            {
                var value = arg.Length > "--server".Length ? arg["--server=".Length..] : Next(args, ref i);
                if (value is null)
                {
                    error = "--server needs host:port";
                    return null;
                }

                result = result with { Server = value };
                continue;
            }

            if (arg.Length < 2 || arg[0] != '-')
            {
                recipients.Add(arg);
                continue;
            }

            var letter = arg[1];
            var attached = arg.Length > 2 ? arg[2..] : null;
            switch (letter)
            {
                case 't' when attached is null:
                    result = result with { RecipientsFromHeaders = true };
                    break;
                case 'i' when attached is null:
                    result = result with { IgnoreDots = true };
                    break;
                case 'f' or 'r':
                case 'F':
                    var value = attached ?? Next(args, ref i);
                    if (value is null)
                    {
                        error = $"-{letter} needs a value";
                        return null;
                    }

                    result = letter == 'F' ? result with { FullName = value } : result with { Sender = value };
                    break;
                case 'o':
                    // -oi is -i; -oem, -odi, -oQ... choose error and delivery modes MailSink does not have.
                    if (attached == "i")
                    {
                        result = result with { IgnoreDots = true };
                    }

                    break;
                case 'b':
                    if (attached is not ("m" or null))
                    {
                        error = $"-b{attached} is not supported: only -bm (read a message on stdin and send it) is";
                        return null;
                    }

                    break;
                case var c when IgnoredWithValue.Contains(c):
                    if (attached is null)
                    {
                        Next(args, ref i);
                    }

                    break;
                case var c when IgnoredFlags.Contains(c):
                    break;
                default:
                    error = $"unknown option '{arg}' (usage: mailsink sendmail [-t] [-i] [-f sender] [-F name] [--server host:port] [recipient ...])";
                    return null;
            }
        }

        return result with { Recipients = recipients };
    }

    /// <summary>Host and port to submit to: --server, else MAILSINK_SENDMAIL_SERVER, else 127.0.0.1:1025.</summary>
    public bool TryGetServer(out string host, out int port, out string? error)
    {
        var value = Server ?? Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            value = DefaultServer;
        }

        host = "";
        port = 0;
        error = null;
        var colon = value.LastIndexOf(':');
        var closing = value.LastIndexOf(']');
        if (colon < 0 || colon < closing)
        {
            // No port: the plain SMTP listener's default.
            host = value.Trim('[', ']');
            port = 1025;
            return true;
        }

        host = value[..colon].Trim('[', ']');
        if (host.Length == 0 || !int.TryParse(value[(colon + 1)..], out port) || port is < 1 or > 65535)
        {
            error = $"the server must be host:port (e.g. 127.0.0.1:1025), got '{value}'";
            return false;
        }

        return true;
    }

    private static string? Next(IReadOnlyList<string> args, ref int i) => i + 1 < args.Count ? args[++i] : null;
}
