using System.Diagnostics;
using System.Globalization;
using MailSink.Options;
using MailSink.Storage;
using MailSink.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace MailSink.Benchmarks.Million;

/// <summary>
/// <c>million-pg URI [count=100000] [batch=2000]</c>: the million timer's generation and queries on PostgreSQL (issue 15).
/// The database named by URI must be empty: the same generated messages go in through the real PostgresMailStore
/// and its batching writer, then the store is reopened (migrations check, counts) and the same queries are timed.
/// The size compared with the raw bytes is the database's (pg_database_size, tables and indexes with their WAL-free
/// on-disk size).
/// </summary>
internal static class PostgresMillionCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 1)
        {
            await Console.Error.WriteLineAsync("usage: million-pg postgresql://user:password@host:port/database [count=100000] [batch=2000]");
            return 2;
        }

        var uri = args[0];
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var batch = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2000;

        long raw;
        await using (var database = new PostgresDatabase(uri, NullLogger.Instance))
        {
            await database.EnsureReadyAsync(CancellationToken.None);
            await using var store = Open(database, uri, batch);
            if ((await store.GetStatsAsync(CancellationToken.None)).Total != 0)
            {
                await Console.Error.WriteLineAsync("million-pg needs an empty database");
                return 2;
            }

            Console.WriteLine($"generating {count:N0} messages into PostgreSQL (batches of {batch})");
            var watch = Stopwatch.StartNew();
            raw = await MillionGenerator.RunAsync(store, count, batch, seed: 12, Console.WriteLine);
            Console.WriteLine($"generated in {watch.Elapsed.TotalSeconds:F0} s ({count / watch.Elapsed.TotalSeconds:F0} msg/s), {raw / 1048576.0:F0} MiB raw");
        }

        var open = Stopwatch.StartNew();
        await using var reopened = new PostgresDatabase(uri, NullLogger.Instance);
        await reopened.EnsureReadyAsync(CancellationToken.None);
        await using var timed = Open(reopened, uri, batch);
        var stats = await timed.GetStatsAsync(CancellationToken.None);
        var rows = new List<(string Name, string Cold, string Warm, string Note)>
        {
            ("start-up (migrations check, counts)", MillionTimer.Ms(open.Elapsed), "", $"{stats.Total:N0} messages"),
        };

        var deep = Math.Min(500_000, stats.Total / 2);
        rows.Add(await MillionTimer.TimeAsync("first page (limit=50)", () => timed.ListMessagesAsync(0, 50, null, CancellationToken.None), p => $"{p.Items.Count} items"));
        rows.Add(await MillionTimer.TimeAsync($"page start={deep:N0} (limit=50)", () => timed.ListMessagesAsync(deep, 50, null, CancellationToken.None), p => $"{p.Items.Count} items"));
        rows.Add(await MillionTimer.TimeAsync("counts (total/unread)", () => timed.GetStatsAsync(CancellationToken.None), s => $"{s.Total:N0}/{s.Unread:N0}"));
        foreach (var query in new[] { "subject:quarterly", "subject:nosuchword", "quarterly" })
        {
            rows.Add(await MillionTimer.TimeAsync($"search \"{query}\" (limit=50)", () => MillionTimer.SearchAsync(timed, query), p => $"{p.Total:N0} matches"));
        }

        await using (var command = reopened.DataSource.CreateCommand("SELECT pg_database_size(current_database())"))
        {
            var bytes = (long)(await command.ExecuteScalarAsync())!;
            rows.Add(("database size / raw bytes", "", "", $"{bytes / 1048576.0:F0} MiB / {raw / 1048576.0:F0} MiB = {(double)bytes / raw:F2}x"));
        }

        Console.WriteLine($"| operation | cold | warm (median) | result |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (name, cold, warm, note) in rows)
        {
            Console.WriteLine($"| {name} | {cold} | {warm} | {note} |");
        }

        return 0;
    }

    private static PostgresMailStore Open(PostgresDatabase database, string uri, int batch) => new(
        database,
        new ClusterNode(),
        new Domain.MailboxEvents(),
        Microsoft.Extensions.Options.Options.Create(new StorageOptions { Path = uri, WriteBatchSize = batch }),
        TimeProvider.System,
        NullLogger<PostgresMailStore>.Instance);
}
