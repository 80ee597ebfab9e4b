using LiteDB;
using Microsoft.Extensions.Logging;

namespace MailSink.Storage;

/// <summary>How the store reads: with the writer kept out, retried across an engine reopen, searches off the pool.</summary>
internal sealed partial class LiteDbMailStore
{
    /// <summary>
    /// Reads the inbox's first page once, off start-up's path: the query's code is compiled (LiteDB builds each
    /// expression as a compiled lambda) and its index and data pages are cached before a browser asks for them.
    /// At a million messages the first page a second after the open took 105 ms without this, 3.4 ms with it
    /// (bench/README.md, the million timer; issue 12).
    /// </summary>
    private void ReadFirstPage(ILogger logger)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            _ = ReadGated(() => _queries.Page(0, FirstPageSize));
        }
        catch (Exception ex) when (ex is LiteException or ObjectDisposedException or IOException or StoreUnavailableException)
        {
            // Only a head start: the first request reads the page itself and reports what is wrong.
            Log.FirstPageNotRead(logger, ex);
        }
    }

    /// <summary>
    /// Runs a search on a thread of its own. A search reads every candidate synchronously (tens of milliseconds at a
    /// few thousand), and on the thread pool, which has as many workers as cores, a few of them at once (each
    /// /api/v1/wait starts with one) left no worker for the SMTP sessions and the hub: pushes waited behind them,
    /// p99 65-81 ms at 500 msg/s (issue 12).
    /// </summary>
    private static Task<T> OffThreadPoolAsync<T>(Func<Task<T>> search, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(search, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private Task<T> ReadAsync<T>(Func<T> read, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var generation = _database.Generation;
        try
        {
            return Task.FromResult(ReadGated(read));
        }
        catch (Exception ex) when ((ex is LiteException or ObjectDisposedException or IOException)
            && (_database.Generation != generation || _database.IsReopening))
        {
            // The writer is replacing the engine under this read (after a disk error): the new one has the same data.
            return RetryAsync(read, ex, cancellationToken);
        }
        catch (Exception ex) when (ex is LiteException or ObjectDisposedException or IOException)
        {
            return Task.FromException<T>(new StoreUnavailableException($"The message store could not be read: {ex.Message}", ex));
        }
    }

    /// <summary>Runs a read with the writer kept out (<see cref="EngineGate"/>); the read must materialise its results.</summary>
    private T ReadGated<T>(Func<T> read)
    {
        using var shared = _database.Gate.Read();
        return read();
    }

    private async Task<T> RetryAsync<T>(Func<T> read, Exception first, CancellationToken cancellationToken)
    {
        // Opening the file takes milliseconds; a second is generous and still far below any client timeout.
        for (var waited = 0; _database.IsReopening && waited < 1000; waited += 20)
        {
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return ReadGated(read);
        }
        catch (Exception ex) when (ex is LiteException or ObjectDisposedException or IOException)
        {
            throw new StoreUnavailableException($"The message store could not be read: {ex.Message}", new AggregateException(first, ex));
        }
    }
}
