using System.Diagnostics;
using System.Globalization;

namespace MailSink.Benchmarks.Million;

/// <summary>
/// <c>million DIR [count=1000000] [batch=2000]</c>: generates count messages into DIR/mailsink.db when DIR has no store
/// yet (the raw byte total is kept in DIR/million.txt for the size ratio), then runs the query timer on it.
/// <c>million subject-profile DIR [query]</c> times a subject search's phases; <c>million subject-store DIR [query]</c>
/// runs the store's own search 8 times (for a sampling profiler); <c>million upgrade-words DIR</c> completes the
/// subject-word vocabulary of a store generated before it kept every spelling.
/// </summary>
internal static class MillionCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 1)
        {
            await Console.Error.WriteLineAsync("usage: million DIR [count=1000000] [batch=2000]");
            return 2;
        }

        if (args[0] == "pages" && args.Length > 1)
        {
            PrintPages(Path.GetFullPath(args[1]));
            return 0;
        }

        if (args[0] is "subject-profile" or "subject-store" && args.Length > 1)
        {
            await SubjectProfile.RunAsync(Path.GetFullPath(args[1]), args.Length > 2 ? args[2] : "subject:quarterly", args[0] == "subject-store");
            return 0;
        }

        if (args[0] == "upgrade-words" && args.Length > 1)
        {
            VocabularyUpgrade.Run(Path.GetFullPath(args[1]));
            return 0;
        }

        var folder = Path.GetFullPath(args[0]);
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        var batch = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2000;
        var totals = Path.Combine(folder, "million.txt");
        Directory.CreateDirectory(folder);
        if (!File.Exists(totals))
        {
            Console.WriteLine($"generating {count:N0} messages into {folder} (batches of {batch})");
            var watch = Stopwatch.StartNew();
            long raw;
            await using (var store = MillionTimer.OpenStore(folder, batch))
            {
                raw = await MillionGenerator.RunAsync(store, count, batch, seed: 12, Console.WriteLine);
            }

            Console.WriteLine($"generated in {watch.Elapsed.TotalSeconds:F0} s ({count / watch.Elapsed.TotalSeconds:F0} msg/s), {raw / 1048576.0:F0} MiB raw");
            await File.WriteAllTextAsync(totals, raw.ToString(CultureInfo.InvariantCulture));
        }

        await MillionTimer.RunAsync(folder, long.Parse(await File.ReadAllTextAsync(totals), CultureInfo.InvariantCulture), batch, Console.WriteLine);
        return 0;
    }

    /// <summary><c>million pages DIR</c>: where the file's bytes go, pages by collection and type (reads every page).</summary>
    private static void PrintPages(string folder)
    {
        using var db = new LiteDB.LiteDatabase(new LiteDB.ConnectionString
        {
            Filename = Path.Combine(folder, "mailsink.db"), Connection = LiteDB.ConnectionType.Direct, ReadOnly = true,
        });
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        using var reader = db.Execute("SELECT collection, pageType FROM $page_list");
        while (reader.Read())
        {
            var key = $"{reader.Current["collection"]} {reader.Current["pageType"]}";
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        foreach (var (key, pages) in counts.OrderByDescending(c => c.Value))
        {
            Console.WriteLine($"{key,-40} {pages,9:N0} pages {pages * 8192.0 / 1048576,9:F0} MiB");
        }
    }
}
