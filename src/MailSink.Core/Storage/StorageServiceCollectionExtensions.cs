using MailSink.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MailSink.Storage;

internal static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the LiteDB store and its retention loop. StorageOptions and ServerOptions are
    /// bound by the host, and so is the TimeProvider (AddMailSink registers the one clock); DataDirectory (which owns the database path) and MailboxEvents are added only if nobody registered them.
    /// </summary>
    public static IServiceCollection AddMailStorage(this IServiceCollection services)
    {
        services.TryAddSingleton<MailSink.Options.DataDirectory>();
        services.TryAddSingleton<MailboxEvents>();
        services.TryAddSingleton<LiteDbMailStore>();
        services.TryAddSingleton<IMailStore>(sp => sp.GetRequiredService<LiteDbMailStore>());
        services.AddHostedService<RetentionService>();
        return services;
    }
}
