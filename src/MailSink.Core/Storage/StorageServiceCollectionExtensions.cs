using MailSink.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MailSink.Storage;

internal static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the LiteDB store and its retention loop. StorageOptions and ServerOptions are
    /// bound by the host; DataDirectory (which owns the database path), MailboxEvents and TimeProvider are added only if nobody registered them.
    /// </summary>
    public static IServiceCollection AddMailStorage(this IServiceCollection services)
    {
        services.TryAddSingleton<MailSink.Options.DataDirectory>();
        services.TryAddSingleton<MailboxEvents>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LiteDbMailStore>();
        services.TryAddSingleton<IMailStore>(sp => sp.GetRequiredService<LiteDbMailStore>());
        services.AddHostedService<RetentionService>();
        return services;
    }
}
