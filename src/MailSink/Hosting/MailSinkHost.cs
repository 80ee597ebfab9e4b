using MailSink.Api;
using MailSink.Api.Auth;
using MailSink.Api.Compat;
using MailSink.Diagnostics;
using MailSink.Options;
using MailSink.Realtime;
using MailSink.Smtp;
using MailSink.Storage;

namespace MailSink.Hosting;

/// <summary>
/// Builds the whole MailSink application (SMTP listeners, store, HTTP API) so it can run as the
/// <c>mailsink</c> command or in-process inside a test run (<see cref="MailSinkServer"/>).
/// </summary>
public static class MailSinkHost
{
    /// <summary>
    /// Builds MailSink from command-line <paramref name="args"/> and MAILSINK_ environment variables;
    /// <paramref name="overrides"/> adds configuration sources that win over both.
    /// </summary>
    /// <exception cref="Cli.UnknownOptionException">An argument, MAILSINK_ variable or appsettings key under MailSink's sections is not an option.</exception>
    public static WebApplication Build(string[] args, Action<IConfigurationBuilder>? overrides = null) =>
        Build(args, overrides, configureServices: null, refuseUnknownOptions: true);

    // refuseUnknownOptions is true for the mailsink command. The in-process server leaves it off: it runs inside
    // someone else's test project, whose appsettings.json may well have an "Smtp" section of its own.
    internal static WebApplication Build(string[] args, Action<IConfigurationBuilder>? overrides, Action<IServiceCollection>? configureServices, bool refuseUnknownOptions = false)
    {
        // No file watchers on appsettings.json: the content root is often the working directory, and
        // watching a busy folder (e.g. /tmp beside a LiteDB file) cost a measurable share of the CPU under load.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false", .. args],
            WebRootPath = ResolveWebRoot(),
        });
        builder.Configuration.AddMailSinkDefaults();
        builder.Configuration.AddMailSinkSources(args);
        if (refuseUnknownOptions)
        {
            Cli.UnknownOptions.ThrowIfAny(args, builder.Configuration, Environment.GetEnvironmentVariables());
        }

        overrides?.Invoke(builder.Configuration);

        builder.Services.AddMailSinkOptions();
        builder.Services.AddMailStorage();
        builder.Services.AddDiagnostics();
        builder.Services.AddSmtpSink();
        builder.Services.AddMailSinkApi();
        builder.Services.AddLoopbackHostFilter(builder.Configuration);
        builder.Services.AddWebAuthentication();
        builder.Services.AddRealtime();
        builder.WebHost.UseMailSinkHttpEndpoints(builder.Configuration);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        Map(app);
        return app;
    }

    /// <summary>The middleware and endpoints, in order.</summary>
    /// <summary>
    /// The built UI: beside the binary when published (the dotnet tool, Docker), else the working directory's
    /// wwwroot (dotnet run in src/MailSink). The binary's own copy wins so that running the tool inside some
    /// other web project never serves that project's files.
    /// </summary>
    private static string? ResolveWebRoot() =>
        new[] { Path.Combine(AppContext.BaseDirectory, "wwwroot"), Path.Combine(Directory.GetCurrentDirectory(), "wwwroot") }
            .FirstOrDefault(Directory.Exists);

    public static void Map(WebApplication app)
    {
        app.UseFramingPolicy();
        app.UseMailSinkApiErrors();
        app.UseWebAuthentication();
        app.MapHealthApi();
        app.MapInfoApi();
        app.MapMessagesApi();
        app.MapChecksApi();
        app.MapCodesApi();
        app.MapSearchApi();
        app.MapWaitApi();
        app.MapSessionsApi();
        app.MapMailHogApi();
        app.MapOpenApi();
        app.MapRealtime();
        app.MapWebUi();
    }
}
