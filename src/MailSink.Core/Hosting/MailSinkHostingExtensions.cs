using MailSink.Api;
using MailSink.Api.Auth;
using MailSink.Api.Compat;
using MailSink.Diagnostics;
using MailSink.Faults;
using MailSink.Options;
using MailSink.Realtime;
using MailSink.Relay;
using MailSink.Smtp;
using MailSink.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MailSink.Hosting;

/// <summary>
/// MailSink inside an ASP.NET Core application of your own: <c>builder.AddMailSink()</c> before
/// <c>Build()</c>, <c>app.MapMailSink()</c> after. The SMTP listeners start with the host; the HTTP API
/// (<c>/api/v1</c>, the Mailpit and MailHog compatible routes, <c>/livez</c>, <c>/readyz</c>, the API reference at <c>/api/docs</c>) and the hub
/// (<c>/hubs/inbox</c>) are served on the application's own addresses.
/// </summary>
/// <example>
/// <code>
/// var builder = WebApplication.CreateBuilder(args);
/// builder.AddMailSink();   // reads the Server, Smtp, Storage and Web sections
/// var app = builder.Build();
/// app.MapMailSink();
/// app.Run();
/// </code>
/// </example>
public static class MailSinkHostingExtensions
{
    /// <summary>
    /// Adds MailSink's services: the options (<see cref="ServerOptions"/>, <see cref="SmtpOptions"/>,
    /// <see cref="StorageOptions"/>, <see cref="WebOptions"/>, bound from their sections and validated at start-up),
    /// the SMTP listeners, the store, the HTTP API and the hub. Kestrel stays the application's:
    /// <see cref="WebOptions.HttpPort"/> is only used by the mailsink command.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configuration">The configuration the options are bound from (also read now, for host filtering).</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <remarks>
    /// When MailSink is bound to loopback only (the default), the application's host filtering is set to accept only
    /// local host names, a defence against DNS rebinding; set <c>AllowedHosts</c> to take that decision yourself.
    /// </remarks>
    public static IServiceCollection AddMailSink(this IServiceCollection services, IConfiguration configuration)
    {
        // One clock for every room (IDs, retention, greylisting, the notifier's throttle, the wait timeouts), registered
        // here only: an application (or a test) that registered its own TimeProvider first keeps it.
        services.TryAddSingleton(TimeProvider.System);
        services.AddMailSinkOptions();
        services.AddMailStorage();
        services.AddDiagnostics();
        services.AddSmtpSink();
        services.AddFaults();
        services.AddMailSinkApi();
        services.AddLoopbackHostFilter(configuration);
        services.AddWebAuthentication();
        services.AddRealtime();
        services.AddRelay();
        services.AddSingleton<HostUptime>();
        return services;
    }

    /// <summary>Adds MailSink's services to the application being built: <c>builder.Services.AddMailSink(builder.Configuration)</c>.</summary>
    /// <param name="builder">The application builder.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static WebApplicationBuilder AddMailSink(this WebApplicationBuilder builder)
    {
        builder.Services.AddMailSink(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Adds MailSink's middleware (framing headers, problem details for API errors, Web authentication when
    /// configured) and maps its endpoints: the HTTP API, the compatibility routes, the OpenAPI document (<c>/openapi/v1.json</c>,
    /// browsable at <c>/api/docs</c>) and the hub.
    /// The middleware applies to every request of the application, so call this before mapping your own endpoints
    /// only if that is what you want. The web inbox is not served: it is built into the mailsink tool.
    /// </summary>
    /// <param name="app">The built application.</param>
    /// <returns><paramref name="app"/>, for chaining.</returns>
    public static WebApplication MapMailSink(this WebApplication app)
    {
        app.UseFramingPolicy();
        app.UseMailSinkApiErrors();
        app.UseWebAuthentication();
        app.MapHealthApi();
        app.MapApiV1();
        app.MapChaosApi();
        app.MapMailpitApi();
        app.MapMailHogApi();
        app.MapMailHogV1Api();
        app.MapMailHogReleaseApi();
        app.MapMailHogLiveApi();
        app.MapJimApi();
        app.MapApiDocs();
        app.MapRealtime();
        return app;
    }
}
