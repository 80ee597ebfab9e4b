using Microsoft.Extensions.Options;

namespace MailSink.Relay;

/// <summary>Registers release: the Relay options (validated at start-up), the configured targets and the MailKit sender.</summary>
internal static class RelayServiceCollectionExtensions
{
    public static IServiceCollection AddRelay(this IServiceCollection services)
    {
        services.AddOptions<RelayOptions>().BindConfiguration(RelayOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RelayOptions>, RelayOptionsValidator>();
        services.AddSingleton<RelayTargets>();
        services.AddSingleton<MessageRelay>();
        services.AddSingleton<MessageReleaser>();
        return services;
    }
}
