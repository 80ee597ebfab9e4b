using MailSink.Options;

namespace MailSink.Cli;

/// <summary>
/// <c>mailsink --help</c>: the subcommands, then every option with its default and environment variable.
/// <c>--help --markdown</c> prints the README's configuration table instead.
/// </summary>
internal static class HelpCommand
{
    public static int Run(TextWriter output, IReadOnlyList<string>? args = null)
    {
        if (args is not null && args.Contains("--markdown"))
        {
            output.Write(OptionsMarkdown.Table());
            return 0;
        }

        output.WriteLine($"""
            MailSink {BuildInfo.Version}: a local SMTP sink for developers. Accepts every message, keeps it, shows it.

            Usage:
              mailsink [options]                      run the server (SMTP 1025/587/465, HTTP 8025)
              mailsink sendmail [-t] [-i] [-f from] [-S host:port] [--starttls | --tls]
                                [--auth-user user --auth-password password] [-bs] [recipient ...]
                                                      read a message on stdin and submit it (sendmail compatible;
                                                      -bs: speak SMTP on stdin/stdout; a symlink named sendmail
                                                      runs this too; default server 127.0.0.1:1025 or {EnvironmentVariableNames.SendmailServer})
              mailsink check <file.eml> [--dns-overrides FILE] [--sender-ip IP] [--dns on] [--json]
                                                      deliverability checks (DKIM, SPF, DMARC, headers) on a file;
                                                      exit 1 when a finding is an error
              mailsink healthcheck [--url http://127.0.0.1:8025]
                                                      exit 0 when that MailSink is ready, 1 otherwise
              mailsink --help | --version

            Options: the short switch, or --Section:Key=value for any key, or the environment variable shown.
            The command line wins over the environment.
            """);

        foreach (var group in OptionsCatalog.All().GroupBy(o => o.Group))
        {
            output.WriteLine();
            output.WriteLine($"{group.Key}:");
            foreach (var option in group)
            {
                var names = option.Switch is null ? $"--{option.SettingKey}" : $"{option.Switch}, --{option.SettingKey}";
                output.WriteLine($"  {names}  (default: {option.Default})  env {option.EnvironmentVariable}");
                if (option.Description.Length > 0)
                {
                    output.WriteLine($"      {option.Description}");
                }
            }
        }

        return 0;
    }
}
