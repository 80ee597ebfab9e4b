using MailSink.Domain;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MailSink.Smtp;

/// <summary>Registers the SMTP listeners and what they need.</summary>
internal static class SmtpServiceCollectionExtensions
{
    public static IServiceCollection AddSmtpSink(this IServiceCollection services)
    {
        services.AddSingleton<MessageIdGenerator>();
        services.AddSingleton<SmtpListenerBinder>();
        services.AddSingleton<CertificateProvider>();
        services.AddSingleton<SessionRecorderFactory>();
        services.AddSingleton<SmtpUserDirectory>();
        services.AddSingleton<AuthFailureTracker>();
        services.TryAddKeyedSingleton<TimeProvider>(AuthFailureTracker.TimeKey, (provider, _) => provider.GetRequiredService<TimeProvider>());
        services.AddSingleton<ActiveSessions>();
        services.AddSingleton<SmtpShutdown>();
        services.AddSingleton<SmtpCounters>();
        services.AddSingleton<ApiMessageIngest>();
        services.AddSingleton<SmtpEndpoints>();
        services.AddHostedService<SmtpHostedService>();
        return services;
    }
}
