namespace MailSink.Cli;

/// <summary>
/// The sendmail command line as PHP's mail(), Symfony Mailer (-bs), cron and legacy scripts call it, plus
/// Mailpit's -S host:port. Only what changes the submission is kept; the many queueing and delivery-mode
/// options of real sendmail are accepted and ignored, because MailSink has no queue: it submits at once or fails.
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

    /// <summary>--server, -S (Mailpit) or --smtp-addr host:port; null means MAILSINK_SENDMAIL_SERVER or 127.0.0.1:1025.</summary>
    public string? Server { get; init; }

    /// <summary>-bs: the caller speaks SMTP on stdin and reads the replies on stdout (no message is read or built here).</summary>
    public bool SmtpOnStdio { get; init; }

    /// <summary>--starttls: upgrade with STARTTLS before sending, and fail if the server does not offer it.</summary>
    public bool StartTls { get; init; }

    /// <summary>--tls: TLS from the first byte, for the implicit-TLS listener (465).</summary>
    public bool ImplicitTls { get; init; }

    /// <summary>--auth-user: log in with AUTH as this user (MailSink accepts any credentials and records the user).</summary>
    public string? AuthUser { get; init; }

    /// <summary>--auth-password: the password for --auth-user.</summary>
    public string? AuthPassword { get; init; }

    private const string Usage = "usage: mailsink sendmail [-t] [-i] [-f sender] [-F name] [-S host:port] [--starttls | --tls] [--auth-user user --auth-password password] [-bs] [recipient ...]";

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

            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                result = ParseLong(result, args, ref i, out error);
                if (result is null)
                {
                    return null;
                }

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
                    if (attached == "s")
                    {
                        result = result with { SmtpOnStdio = true };
                    }
                    else if (attached is not ("m" or null))
                    {
                        error = $"-b{attached} is not supported: only -bm (read a message on stdin and send it) and -bs (SMTP on stdin and stdout) are";
                        return null;
                    }

                    break;
                case 'S':
                    // Mailpit's sendmail: -S host:port names the SMTP server.
                    var server = attached ?? Next(args, ref i);
                    if (server is null)
                    {
                        error = "-S needs host:port";
                        return null;
                    }

                    result = result with { Server = server };
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
                    error = $"unknown option '{arg}' ({Usage})";
                    return null;
            }
        }

        error = Conflict(result);
        return error is null ? result with { Recipients = recipients } : null;
    }

    /// <summary>The long options: --server/--smtp-addr, --starttls, --tls, --auth-user, --auth-password (value attached with = or next).</summary>
    private static SendmailArguments? ParseLong(SendmailArguments result, IReadOnlyList<string> args, ref int i, out string? error)
    {
        error = null;
        var arg = args[i];
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? arg : arg[..equals];
        if (name is "--starttls" or "--tls" && equals < 0)
        {
            return name == "--tls" ? result with { ImplicitTls = true } : result with { StartTls = true };
        }

        if (name is not ("--server" or "--smtp-addr" or "--auth-user" or "--auth-password"))
        {
            error = $"unknown option '{arg}' ({Usage})";
            return null;
        }

        var value = equals < 0 ? Next(args, ref i) : arg[(equals + 1)..];
        if (value is null)
        {
            error = $"{name} needs a value";
            return null;
        }

        return name switch
        {
            "--auth-user" => result with { AuthUser = value },
            "--auth-password" => result with { AuthPassword = value },
            _ => result with { Server = value },
        };
    }

    /// <summary>Options that cannot go together, named.</summary>
    private static string? Conflict(SendmailArguments a)
    {
        if (a.StartTls && a.ImplicitTls)
        {
            return "--starttls and --tls exclude each other: --starttls upgrades a plain connection (1025, 587), --tls is TLS from the start (465)";
        }

        if (a.AuthPassword is not null && a.AuthUser is null)
        {
            return "--auth-password needs --auth-user";
        }

        if (a.SmtpOnStdio && (a.StartTls || a.AuthUser is not null))
        {
            // The caller owns the conversation: a STARTTLS or AUTH of ours would come before its EHLO and
            // change what its EHLO is answered. It can send both itself; --tls is only the transport.
            return "-bs passes your SMTP conversation through as it is: send STARTTLS and AUTH yourself (--tls still works)";
        }

        return null;
    }

    /// <summary>Host and port to submit to: -S/--server, else MAILSINK_SENDMAIL_SERVER, else 127.0.0.1:1025.</summary>
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
