using MailSink.Domain;
using MailSink.Options;
using MailSink.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MailSink.Storage;

internal static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the store Storage:Path asks for (a PostgreSQL URI: <see cref="PostgresMailStore"/>; a file or "memory":
    /// <see cref="LiteDbMailStore"/>) and its retention loop. StorageOptions and ServerOptions are
    /// bound by the host, and so is the TimeProvider (AddMailSink registers the one clock); DataDirectory (which owns the database path) and MailboxEvents are added only if nobody registered them.
    /// </summary>
    public static IServiceCollection AddMailStorage(this IServiceCollection services)
    {
        services.TryAddSingleton<MailSink.Options.DataDirectory>();
        services.TryAddSingleton<MailboxEvents>();
        services.TryAddSingleton<LiteDbMailStore>();

        // PostgreSQL: resolved only when Storage:Path is a postgresql:// URI; the LiteDB parts (file lock, compaction,
        // disk-space guard) live inside LiteDbMailStore and are never created then.
        services.TryAddSingleton<ClusterNode>();
        services.TryAddSingleton<PostgresDatabase>();
        services.TryAddSingleton<PostgresMailStore>();
        services.TryAddSingleton<PostgresEventListener>();
        services.AddHostedService<PostgresStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresEventListener>());

        services.TryAddSingleton<IMailStore>(sp => PostgresUri.IsPostgres(sp.GetRequiredService<IOptions<StorageOptions>>().Value.Path)
            ? sp.GetRequiredService<PostgresMailStore>()
            : sp.GetRequiredService<LiteDbMailStore>());
        services.AddHostedService<RetentionService>();
        return services;
    }
}
