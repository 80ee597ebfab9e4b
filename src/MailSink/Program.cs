using MailSink;
using MailSink.Cli;
using MailSink.Hosting;

// MailSink: SMTP listeners that accept everything, a LiteDB store, an HTTP API and web inbox.
// The first argument may name a subcommand; anything else runs the server (Hosting/MailSinkHost.cs).
// Started as "sendmail" (a symlink to this executable), every argument is sendmail's.
InlineSocketCompletions.EnableUnlessChosen();
string[] command = await InvocationName.IsSendmailAsync(CancellationToken.None) ? ["sendmail", .. args] : args;
return command switch
{
    ["sendmail", .. var rest] => await SendmailCommand.RunAsync(rest, Console.OpenStandardInput(), Console.OpenStandardOutput(), Console.Error, CancellationToken.None),
    ["check", .. var rest] => await CheckCommand.RunAsync(rest, Console.Out, Console.Error, CancellationToken.None),
    ["healthcheck", .. var rest] => await HealthCheckCommand.RunAsync(rest, Console.Out, CancellationToken.None),
    ["--help" or "-h" or "-?" or "help", .. var rest] => HelpCommand.Run(Console.Out, rest),
    ["--version" or "version", ..] => VersionCommand.Run(Console.Out),
    _ => await StartupErrors.RunAsync(() => MailSinkHost.Build(command, checkConfiguration: configuration =>
        UnknownOptions.ThrowIfAny(command, configuration, Environment.GetEnvironmentVariables()))),
};

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
