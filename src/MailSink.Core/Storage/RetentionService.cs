using MailSink.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailSink.Storage;

/// <summary>Applies <see cref="StorageOptions.MaxMessages"/> and <see cref="StorageOptions.MaxAge"/> every <see cref="StorageOptions.PruneInterval"/>.</summary>
internal sealed partial class RetentionService(
    IMailStore store,
    IOptions<StorageOptions> options,
    TimeProvider timeProvider,
    ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var storage = options.Value;
        using var timer = new PeriodicTimer(storage.PruneInterval, timeProvider);
        do
        {
            try
            {
                var pruned = await store.PruneAsync(storage.MaxMessages, storage.MaxAge, stoppingToken).ConfigureAwait(false);
                if (pruned > 0)
                {
                    Log.Pruned(logger, pruned);
                }
            }
            catch (StoreUnavailableException ex)
            {
                // Retention is best effort: try again next tick rather than stop the host.
                Log.PruneFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private static partial class Log
    {
        [LoggerMessage(3010, LogLevel.Information, "Retention pruned {Count} messages")]
        public static partial void Pruned(ILogger logger, int count);

        [LoggerMessage(3011, LogLevel.Warning, "Retention pruning failed")]
        public static partial void PruneFailed(ILogger logger, Exception exception);
    }
}
