using MailSink.Options;
using MailSink.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MailSink.Faults;

/// <summary>Registers failure rehearsal: options, the rules, the hooks SMTP calls.</summary>
internal static class FaultsServiceCollectionExtensions
{
    /// <summary>
    /// Key of the <see cref="TimeProvider"/> faults use (delays, holds, greylisting, rate windows). It is the
    /// host's unless a test registers its own under this key: faking the host's clock would also stop the
    /// shutdown drain and the session timestamps.
    /// </summary>
    public const string TimeKey = "Faults";

    public static IServiceCollection AddFaults(this IServiceCollection services)
    {
        services.AddOptions<FaultOptions>().BindConfiguration(FaultOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FaultOptions>, FaultOptionsValidator>();
        services.TryAddKeyedSingleton<TimeProvider>(TimeKey, (sp, _) => sp.GetRequiredService<TimeProvider>());
        services.AddSingleton<FaultRules>();

        // Where rule changes and firings go: PostgreSQL when that is the store (shared by every node), else nowhere.
        services.TryAddSingleton<PostgresFaultRuleStore>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresFaultRuleStore>());
        services.TryAddSingleton<IFaultRuleStore>(sp => PostgresUri.IsPostgres(sp.GetRequiredService<IOptions<StorageOptions>>().Value.Path)
            ? sp.GetRequiredService<PostgresFaultRuleStore>()
            : new InProcessFaultRuleStore());
        services.AddSingleton<MagicAddresses>();
        services.AddSingleton<FaultEvaluator>();
        services.AddSingleton<FaultHooks>();
        services.AddSingleton<FaultCompatState>();
        return services;
    }
}
