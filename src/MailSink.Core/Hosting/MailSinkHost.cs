using MailSink.Options;

namespace MailSink.Hosting;

/// <summary>
/// Builds the whole MailSink application (SMTP listeners, store, HTTP API) so it can run as the
/// <c>mailsink</c> command or in-process inside a test run (MailSink.Testing's <c>MailSinkServer</c>).
/// </summary>
internal static class MailSinkHost
{
    /// <summary>
    /// Builds MailSink from command-line arguments and MAILSINK_ environment variables.
    /// </summary>
    /// <param name="args">The command line (switches and --Section:Key=value).</param>
    /// <param name="overrides">Adds configuration sources that win over the arguments and the variables.</param>
    /// <param name="checkConfiguration">
    /// Runs on the configuration before the overrides are added: the mailsink command refuses unknown options there
    /// (its Cli/UnknownOptions.cs). The in-process server passes none: it runs inside someone else's test project,
    /// whose configuration may well have an "Smtp" section of its own.
    /// </param>
    /// <param name="configureServices">Last word on the services (the in-process server's lifetime and loggers).</param>
    /// <param name="inProcess">
    /// For a server inside a test run: no appsettings.json or user secrets (those in the test's output folder belong to
    /// the application under test), no start-up banner and no web UI (its static files would look for a wwwroot that
    /// is not there and warn about it in every test's output).
    /// </param>
    public static WebApplication Build(
        string[] args,
        Action<IConfigurationBuilder>? overrides = null,
        Action<IConfigurationRoot>? checkConfiguration = null,
        Action<IServiceCollection>? configureServices = null,
        bool inProcess = false)
    {
        // The content root is the binary's folder, not the working directory: run from an application's folder,
        // MailSink would otherwise read that application's appsettings.json (whose "Smtp" section is not ours).
        // A --contentRoot given by the caller still wins (later switches override earlier ones).
        // No file watchers on appsettings.json: watching a busy folder (e.g. /tmp beside a LiteDB file) cost a
        // measurable share of the CPU under load.
        // The slim builder leaves out what MailSink never uses (IIS integration, HTTP/3 over QUIC, Kestrel's HTTPS
        // configuration section, the regex route constraint, the Debug and EventSource loggers): idle RSS 102.6-103.3
        // against 104.9-106.1 MB (issue 12). Host filtering, which LoopbackHostFilter configures, is in both.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--contentRoot", AppContext.BaseDirectory, "--hostBuilder:reloadConfigOnChange=false", .. args],
            WebRootPath = inProcess ? null : ResolveWebRoot(),
        });
        if (inProcess)
        {
            // appsettings*.json and user secrets are JSON file sources: in a test's output folder they are the app's.
            foreach (var file in builder.Configuration.Sources.OfType<Microsoft.Extensions.Configuration.Json.JsonConfigurationSource>().ToList())
            {
                builder.Configuration.Sources.Remove(file);
            }
        }

        builder.Configuration.AddMailSinkDefaults();
        builder.Configuration.AddMailSinkSources(args);
        checkConfiguration?.Invoke(builder.Configuration);

        overrides?.Invoke(builder.Configuration);

        builder.AddMailSink();
        builder.WebHost.UseMailSinkHttpEndpoints(builder.Configuration);
        if (!inProcess)
        {
            builder.Services.AddHostedService<StartupBanner>();
            builder.Services.AddHostedService<StartupGiveBack>();
        }

        configureServices?.Invoke(builder.Services);

        var app = builder.Build();

        // Start the uptime clock now, not when /api/v1/info first asks for it.
        _ = app.Services.GetRequiredService<HostUptime>();
        app.MapMailSink();
        if (!inProcess)
        {
            app.MapWebUi();
        }

        return app;
    }

    /// <summary>
    /// The built UI: beside the binary when published (the dotnet tool, Docker), else the working directory's
    /// wwwroot (dotnet run in src/MailSink). The binary's own copy wins so that running the tool inside some
    /// other web project never serves that project's files.
    /// </summary>
    private static string? ResolveWebRoot() =>
        new[] { Path.Combine(AppContext.BaseDirectory, "wwwroot"), Path.Combine(Directory.GetCurrentDirectory(), "wwwroot") }
            .FirstOrDefault(Directory.Exists);
}
