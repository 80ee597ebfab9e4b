using System.Diagnostics;
using LiteDB;
using MailSink.Storage;

namespace MailSink.Benchmarks.Million;

/// <summary>
/// <c>million upgrade-words DIR</c>: brings a store generated before the subject-word vocabulary kept every spelling
/// (<see cref="SubjectWords.AliasMarker"/>) up to date, so its subject searches use the index again instead of the
/// scan: every message's words are recorded again (known ones are a lookup each) and the marker is added. Only for
/// a store that no MailSink has open.
/// </summary>
internal static class VocabularyUpgrade
{
    private const int Chunk = 10_000;

    public static void Run(string folder)
    {
        using var database = MailDatabase.Open(MillionTimer.OpenData(folder, 2000));
        if (database.SubjectWords.FindById(SubjectWords.CompleteMarker) is null)
        {
            Console.WriteLine("this store's messages carry no subject words: it scans, and no upgrade can help");
            return;
        }

        var watch = Stopwatch.StartNew();
        var (messages, after) = (0, "");
        while (true)
        {
            var chunk = database.Messages.Query().Where($"$.{StoreKeys.SortKey} > @0", after).OrderBy($"$.{StoreKeys.SortKey}")
                .Select($"{{s: $.{StoreKeys.SortKey}, w: $.{SubjectWords.Field}}}").Limit(Chunk).ToDocuments().ToList();
            if (chunk.Count == 0)
            {
                break;
            }

            database.Db.BeginTrans();
            foreach (var doc in chunk)
            {
                if (doc["w"].IsArray)
                {
                    SubjectWords.Record(database, doc["w"].AsArray);
                }
            }

            database.Db.Commit();
            messages += chunk.Count;
            after = chunk[^1]["s"].AsString;
        }

        database.SubjectWords.Upsert(new BsonDocument { ["_id"] = SubjectWords.AliasMarker });
        var aliases = database.SubjectWords.FindAll().Count(d => d.ContainsKey(SubjectWords.AliasesField));
        Console.WriteLine($"{messages:N0} messages' words recorded in {watch.Elapsed.TotalSeconds:F0} s; {aliases} entries have other spellings");
    }
}
