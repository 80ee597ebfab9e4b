using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MailSink.Options;

/// <summary>Binds and validates every options section at start-up.</summary>
internal static class OptionsServiceCollectionExtensions
{
    /// <summary>Short switches a person would type, mapped to configuration keys.</summary>
    public static readonly IReadOnlyDictionary<string, string> Switches = new Dictionary<string, string>
    {
        ["--smtp-port"] = "Smtp:Smtp:Port",
        ["--submission-port"] = "Smtp:Submission:Port",
        ["--smtps-port"] = "Smtp:Smtps:Port",
        ["--http-port"] = "Web:HttpPort",
        ["--bind"] = "Server:Bind",
        ["--hostname"] = "Server:Hostname",
        ["--data-dir"] = "Server:DataDirectory",
        ["--storage"] = "Storage:Path",
        ["--max-messages"] = "Storage:MaxMessages",
        ["--max-message-size"] = "Smtp:MaxMessageSize",
        ["--dns-overrides"] = "Diagnostics:DnsOverrides",
        ["--sender-ip"] = "Diagnostics:SenderIp",

        // Release, named after Mailpit's MP_SMTP_RELAY_* settings.
        ["--smtp-relay-host"] = "Relay:Host",
        ["--smtp-relay-port"] = "Relay:Port",
        ["--smtp-relay-tls"] = "Relay:Tls",
        ["--smtp-relay-auth"] = "Relay:Auth",
        ["--smtp-relay-username"] = "Relay:Username",
        ["--smtp-relay-password"] = "Relay:Password",
        ["--smtp-relay-allowed-recipients"] = "Relay:AllowedRecipients",
    };

    /// <summary>
    /// Defaults that hold wherever MailSink is started from (appsettings.json is only found when the working
    /// directory is the content root, which is not the case for the dotnet tool): one log line per request is
    /// noise for a tool that serves a live UI. Lowest precedence: any other source overrides them.
    /// </summary>
    public static void AddMailSinkDefaults(this IConfigurationManager configuration)
    {
        configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",

                // MailSink prints its own start-up banner (Hosting/StartupBanner.cs) with the inbox URL;
                // the host's "Now listening on", environment and content root lines would repeat or bury it.
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",

                // A start-up failure is reported as one line by StartupErrors; the host's own
                // "Hosting failed to start" error would add a stack trace before it.
                ["Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host"] = "Critical",
            },
        });
    }

    /// <summary>Environment variables (MAILSINK_ prefix, "__" for ":") and command-line switches, in that order of precedence.</summary>
    public static void AddMailSinkSources(this IConfigurationManager configuration, string[] args)
    {
        configuration.AddEnvironmentVariables(EnvironmentVariableNames.Prefix);
        configuration.AddCommandLine(args, Switches.ToDictionary(p => p.Key, p => p.Value));
    }

    public static IServiceCollection AddMailSinkOptions(this IServiceCollection services)
    {
        services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.SectionName).ValidateOnStart();
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.SectionName).ValidateOnStart();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        services.AddOptions<WebOptions>().BindConfiguration(WebOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();
        services.AddSingleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidator>();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddSingleton<IValidateOptions<WebOptions>, WebOptionsValidator>();
        services.TryAddSingleton<DataDirectory>();
        services.AddSingleton<ServerIdentity>();
        return services;
    }
}
