using MailSink.Domain;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MailSink.Diagnostics;

/// <summary>
/// The checks as the SMTP store runs them: off when Diagnostics:Enabled is false, and a failure of the checks
/// themselves is logged and leaves the message without checks rather than losing it.
/// </summary>
internal sealed partial class IngestChecker(IOptions<DiagnosticsOptions> options, MessageChecker checker, ILogger<IngestChecker> logger)
{
    public async Task<MessageChecks?> CheckAsync(ReadOnlyMemory<byte> data, MimeMessage? message, MessageSummary summary, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            return await checker.CheckAsync(data, message, summary, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Slow DNS must not hold the client's 250 hostage: the message matters more than its checks.
            Log.TimedOut(logger, options.Value.Timeout);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            Log.CheckFailed(logger, ex);
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1910, LogLevel.Warning, "Deliverability checks failed for a message; it is stored without them")]
        public static partial void CheckFailed(ILogger logger, Exception exception);

        [LoggerMessage(1911, LogLevel.Warning, "Deliverability checks took longer than Diagnostics:Timeout ({Timeout}); the message is stored without them")]
        public static partial void TimedOut(ILogger logger, TimeSpan timeout);
    }
}
