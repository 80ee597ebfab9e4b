using System.Diagnostics;
using MailSink.Options;
using MailSink.Search;
using MailSink.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace MailSink.Benchmarks.Million;

/// <summary>
/// Opens a generated store as MailSink does and times what the inbox and the API ask of it. Each query runs once
/// cold (first after open) and then 5 times warm; the table shows both (warm = median).
/// </summary>
internal static class MillionTimer
{
    private const int WarmRuns = 5;

    public static async Task RunAsync(string folder, long rawBytes, int batchSize, Action<string> log)
    {
        // Start-up's parts, each on a fresh open: the engine with its indexes, then the counters' recount.
        var phase = Stopwatch.StartNew();
        using (var database = MailDatabase.Open(OpenData(folder, batchSize)))
        {
            var opened = phase.Elapsed;
            new StoreCounters().Recount(database);
            var counted = phase.Elapsed;
            StoreCompactor.CompactIfMostlyFree(database);
            log($"start-up parts: open with indexes {Ms(opened)}, recount {Ms(counted - opened)}, compaction check {Ms(phase.Elapsed - counted)}");
        }

        var watch = Stopwatch.StartNew();
        var store = OpenStore(folder, batchSize);
        var stats = await store.GetStatsAsync(CancellationToken.None);
        var startup = watch.Elapsed;

        // The store reads the inbox's first page once in the background as it opens; a browser's first request
        // comes after that. Timed here from the open, then the page queries below run against the primed store.
        await store.FirstPageRead;
        var primed = watch.Elapsed;
        if (Environment.GetEnvironmentVariable("MILLION_PAUSE_MS") is { } pause)
        {
            await Task.Delay(int.Parse(pause, System.Globalization.CultureInfo.InvariantCulture));
        }

        var rows = new List<(string Name, string Cold, string Warm, string Note)>
        {
            ("start-up (open, compaction check, counts)", Ms(startup), "", $"{stats.Total:N0} messages"),
            ("start-up's first-page read done (background)", Ms(primed), "", "from the open"),
        };

        var deep = Math.Min(500_000, stats.Total / 2);
        rows.Add(await TimeAsync("first page (limit=50)", () => store.ListMessagesAsync(0, 50, null, CancellationToken.None), p => $"{p.Items.Count} items"));
        rows.Add(await TimeAsync($"page start={deep:N0} (limit=50)", () => store.ListMessagesAsync(deep, 50, null, CancellationToken.None), p => $"{p.Items.Count} items"));
        rows.Add(await TimeAsync("counts (total/unread)", () => store.GetStatsAsync(CancellationToken.None), s => $"{s.Total:N0}/{s.Unread:N0}"));
        foreach (var query in new[] { "subject:quarterly", "subject:nosuchword", "quarterly" })
        {
            rows.Add(await TimeAsync($"search \"{query}\" (limit=50)", () => SearchAsync(store, query), p => $"{p.Total:N0} matches"));
        }

        await store.DisposeAsync();
        var dbBytes = new DirectoryInfo(folder).EnumerateFiles("mailsink*.db").Sum(f => f.Length);
        rows.Add(("DB file / raw bytes", "", "", $"{dbBytes / 1048576.0:F0} MiB / {rawBytes / 1048576.0:F0} MiB = {(double)dbBytes / rawBytes:F2}x"));

        log($"| operation | cold | warm (median of {WarmRuns}) | result |");
        log("|---|---|---|---|");
        foreach (var (name, cold, warm, note) in rows)
        {
            log($"| {name} | {cold} | {warm} | {note} |");
        }
    }

    public static LiteDbMailStore OpenStore(string folder, int batchSize)
    {
        var storage = Microsoft.Extensions.Options.Options.Create(new StorageOptions { WriteBatchSize = batchSize });
        return new LiteDbMailStore(storage, OpenData(folder, batchSize), new Domain.MailboxEvents(), TimeProvider.System, NullLogger<LiteDbMailStore>.Instance);
    }

    internal static DataDirectory OpenData(string folder, int batchSize) => new(
        Microsoft.Extensions.Options.Options.Create(new ServerOptions { DataDirectory = folder }),
        Microsoft.Extensions.Options.Options.Create(new StorageOptions { WriteBatchSize = batchSize }));

    /// <summary>What /api/v1/search does: parse, then list with the query's predicate (and its unread tally).</summary>
    internal static Task<Page<Domain.MessageSummary>> SearchAsync(IMailStore store, string text)
    {
        var query = SearchQuery.Parse(text);
        var unread = 0;
        return store.ListMessagesAsync(0, 50, query, m =>
        {
            if (!query.Matches(m))
            {
                return false;
            }

            if (!m.Read)
            {
                Interlocked.Increment(ref unread);
            }

            return true;
        }, CancellationToken.None);
    }

    internal static async Task<(string, string, string, string)> TimeAsync<T>(string name, Func<Task<T>> run, Func<T, string> describe)
    {
        var watch = Stopwatch.StartNew();
        var result = await run();
        var cold = watch.Elapsed;
        if (cold > TimeSpan.FromSeconds(10))
        {
            // A full scan (50 s for a plain word at a million): warm runs would take minutes and say nothing new.
            // Anything faster, a subject-word search included, gets its warm figure.
            return (name, Ms(cold), "(not repeated)", describe(result));
        }

        // CPU time beside the wall time: on a shared machine the wall time of a warm run swings with the load.
        var warm = new List<TimeSpan>();
        var cpu = new List<TimeSpan>();
        for (var i = 0; i < WarmRuns; i++)
        {
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            watch.Restart();
            await run();
            warm.Add(watch.Elapsed);
            cpu.Add(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore);
        }

        warm.Sort();
        cpu.Sort();
        return (name, Ms(cold), $"{Ms(warm[WarmRuns / 2])} (CPU {Ms(cpu[WarmRuns / 2])})", describe(result));
    }

    internal static string Ms(TimeSpan t) => t.TotalMilliseconds < 10 ? $"{t.TotalMilliseconds:F2} ms" : $"{t.TotalMilliseconds:F0} ms";
}
