using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace MailSink;

/// <summary>
/// Turns start-up failures (a bad option, a port in use) into one line naming the problem and a
/// non-zero exit code, instead of a stack trace.
/// </summary>
internal static class StartupErrors
{
    public const int BadConfiguration = 2;
    public const int CannotListen = 3;
    public const int CouldNotStart = 1;

    /// <summary>Builds and runs the application until shutdown; start-up failures become one line on stderr.</summary>
    public static async Task<int> RunAsync(Func<WebApplication> build)
    {
        WebApplication? app = null;
        try
        {
            app = build();
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (Describe(ex) is { } problem)
        {
            // The console logger writes from a queue that is only drained for sure when its provider is
            // disposed: without this the warnings the one line points to ("see the warnings above") were
            // sometimes lost at exit. Only the loggers: disposing the half-started host wakes its background
            // services into errors of their own.
            if (app is not null)
            {
                FlushLogs(app.Services);
            }

            await Console.Error.WriteLineAsync($"mailsink: {problem.Message}").ConfigureAwait(false);
            return problem.ExitCode;
        }

        await app.WaitForShutdownAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        return 0;
    }

    private static void FlushLogs(IServiceProvider services)
    {
        foreach (var provider in services.GetServices<ILoggerProvider>())
        {
            provider.Dispose();
        }
    }

    /// <summary>The one-line message and exit code for a start-up failure, or null when it is not one we explain.</summary>
    public static (string Message, int ExitCode)? Describe(Exception ex) => ex switch
    {
        OptionsValidationException v => (string.Join("; ", v.Failures), BadConfiguration),
        MailSink.Options.DataPathException p => (p.Message, BadConfiguration),
        MailSink.Storage.Postgres.StorageConnectionException s => (s.Message, BadConfiguration),
        MailSink.Cli.UnknownOptionException u => (u.Message, BadConfiguration),

        // The configuration binder names the key it could not convert ("... at 'Smtp:Smtp:Port' to type 'System.Int32'").
        InvalidOperationException { InnerException: FormatException or OverflowException or ArgumentException } io => ($"{io.Message} ({io.InnerException!.Message})", BadConfiguration),
        InvalidOperationException io when io.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase) => (io.Message, BadConfiguration),
        InvalidOperationException io when io.Message.StartsWith("No SMTP listener", StringComparison.Ordinal) => (io.Message, CannotListen),
        IOException { InnerException: SocketException or Microsoft.AspNetCore.Connections.AddressInUseException } io =>
            ($"the HTTP API could not listen: {io.Message} Pick another port with --http-port.", CannotListen),
        Microsoft.AspNetCore.Connections.AddressInUseException a => ($"the HTTP API could not listen: {a.Message} Pick another port with --http-port.", CannotListen),

        // WebApplicationFactory stops the host with its own exception once it has captured it: let that through.
        _ when ex.GetType().Name == "StopTheHostException" => null,
        _ => ($"could not start: {ex.GetBaseException().Message} (run with --Logging:LogLevel:Default=Debug for details)", CouldNotStart),
    };
}
