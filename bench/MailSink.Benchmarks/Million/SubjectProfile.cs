using System.Diagnostics;
using LiteDB;
using MailSink.Search;
using MailSink.Storage;

namespace MailSink.Benchmarks.Million;

/// <summary>
/// <c>million subject-profile DIR [query]</c>: where a subject-word search's time goes, phase by phase (words, index
/// reads of ids only, of the search's projection and of whole documents, the sort, mapping and the predicate),
/// first after open then twice again.
/// </summary>
internal static class SubjectProfile
{
    public static async Task RunAsync(string folder, string text, bool storeOnly)
    {
        if (storeOnly)
        {
            // The store's own path, for a sampling profiler: first after open, then warm (MILLION_SEARCHES times in all,
            // 8 by default: more give a profiler started late a window of warm searches only).
            await using var store = MillionTimer.OpenStore(folder, 2000);
            Console.WriteLine($"opened: RSS {Rss()} MB");
            var searches = int.TryParse(Environment.GetEnvironmentVariable("MILLION_SEARCHES"), out var count) ? count : 8;
            for (var i = 0; i < searches; i++)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                var page = await MillionTimer.SearchAsync(store, text);
                Console.WriteLine(
                    $"run {i}: {Ms(watch.Elapsed)} (CPU {Ms(Process.GetCurrentProcess().TotalProcessorTime - cpu)}), {page.Total:N0} matches, RSS {Rss()} MB");
            }

            return;
        }


        using var database = MailDatabase.Open(MillionTimer.OpenData(folder, 2000));
        var query = SearchQuery.Parse(text);
        var term = SubjectWords.IndexableRuns(query) is { Count: > 0 } runs ? runs[0] : throw new InvalidOperationException("no indexable term");
        for (var round = 0; round < 3; round++)
        {
            var watch = Stopwatch.StartNew();
            var words = SubjectWords.Containing(database, term).ToList();
            var tWords = watch.Elapsed;

            watch.Restart();
            var ids = new List<BsonValue>();
            foreach (var word in words)
            {
                var expression = BsonExpression.Create($"{SubjectWords.Expression} ANY = @0", new BsonValue(word));
                foreach (var doc in database.Messages.Query().Where(expression).Select("{_id: $._id, s: $.x_sort}").ToDocuments())
                {
                    ids.Add(doc["_id"]);
                }
            }

            var tKeysOnly = watch.Elapsed;

            watch.Restart();
            var projected = new List<BsonDocument>();
            var projection = SearchProjection.For(query) ?? throw new InvalidOperationException("a plain-text term reads whole documents");
            foreach (var word in words)
            {
                var expression = BsonExpression.Create($"{SubjectWords.Expression} ANY = @0", new BsonValue(word));
                projected.AddRange(database.Messages.Query().Where(expression).Select(projection).ToDocuments());
            }

            var tProjected = watch.Elapsed;

            watch.Restart();
            var small = projected.Select(d => SearchProjection.ToSummary(database.Documents.Mapper, d)).Count(query.Matches);
            var tSmallMap = watch.Elapsed;

            watch.Restart();
            var allFields = new List<BsonDocument>();
            foreach (var word in words)
            {
                var expression = BsonExpression.Create($"{SubjectWords.Expression} ANY = @0", new BsonValue(word));
                allFields.AddRange(database.Messages.Query().Where(expression)
                    .Select("{_id: $._id, x_sort: $.x_sort, SessionId: $.SessionId, TranscriptFirstLine: $.TranscriptFirstLine, TranscriptLastLine: $.TranscriptLastLine, ReceivedAt: $.ReceivedAt, From: $.From, To: $.To, Cc: $.Cc, Bcc: $.Bcc, ReplyTo: $.ReplyTo, Subject: $.Subject, Date: $.Date, MessageId: $.MessageId, Size: $.Size, Attachments: $.Attachments, Inlines: $.Inlines, HasHtml: $.HasHtml, HasText: $.HasText, Envelope: $.Envelope, Read: $.Read, Tags: $.Tags}").ToDocuments());
            }

            var tAllFields = watch.Elapsed;
            watch.Restart();
            // Projected documents carry nulls for the fields a summary leaves out at their defaults: mapped as the search maps them.
            var big = allFields.Select(d => SearchProjection.ToSummary(database.Documents.Mapper, d)).Count(query.Matches);
            var tBigMap = watch.Elapsed;
            Console.WriteLine($"  projected map+predicate {Ms(tSmallMap)} ({small}); all non-view fields read {Ms(tAllFields)}, mapped+predicate {Ms(tBigMap)} ({big})");

            watch.Restart();
            var docs = new List<BsonDocument>();
            foreach (var word in words)
            {
                docs.AddRange(database.Messages.Find(BsonExpression.Create($"{SubjectWords.Expression} ANY = @0", new BsonValue(word))));
            }

            var tWhole = watch.Elapsed;

            watch.Restart();
            var sorted = docs.OrderByDescending(d => d[StoreKeys.SortKey].AsString, StringComparer.Ordinal).ToList();
            var tSort = watch.Elapsed;

            watch.Restart();
            var summaries = sorted.Select(database.Documents.ToSummary).ToList();
            var tMap = watch.Elapsed;

            watch.Restart();
            var matched = summaries.Count(query.Matches);
            var tPredicate = watch.Elapsed;

            Console.WriteLine(
                $"round {round}: {words.Count} words {Ms(tWords)}; {ids.Count:N0} candidates: ids only {Ms(tKeysOnly)}, " +
                $"projected {Ms(tProjected)}, whole docs {Ms(tWhole)}, sort {Ms(tSort)}, whole mapping (ToSummary) {Ms(tMap)}, " +
                $"predicate {Ms(tPredicate)} ({matched:N0} matched)");
        }
    }

    private static string Ms(TimeSpan t) => MillionTimer.Ms(t);

    /// <summary>Resident memory of this process in MB: a search that grows LiteDB's page cache shows here.</summary>
    private static long Rss()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64 / (1024 * 1024);
    }
}
