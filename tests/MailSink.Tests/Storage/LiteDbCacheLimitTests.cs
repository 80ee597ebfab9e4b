using LiteDB;
using MailSink.Storage;

namespace MailSink.Tests.Storage;

/// <summary>
/// LiteDB's page cache of a database over streams (the memory store) stays near what is in use instead of growing
/// by 8 MB segments it never gives back; a LiteDB upgrade that moves the internals this reaches fails here.
/// </summary>
public sealed class LiteDbCacheLimitTests
{
    [Fact]
    public void The_cache_of_a_memory_database_stays_small_while_megabytes_go_through_it()
    {
        using var database = MailDatabase.OpenStream(new CompressedPageStream());
        Write(database);

        // LiteDB's own segments (12, 50, 100, 500, 1,000 pages) reach 1,662 pages for the same writes; see below.
        Assert.InRange(database.CachedPages(), 1, 700);
    }

    [Fact]
    public void Without_the_limit_the_same_writes_grow_the_cache_past_a_thousand_pages()
    {
        // The other test's bound means something only if LiteDB's default grows past it on the same work.
        using var db = new LiteDatabase(new MemoryStream(), logStream: new MemoryStream());
        var sessions = db.GetCollection(StoreKeys.Sessions);
        for (var batch = 0; batch < 30; batch++)
        {
            db.BeginTrans();
            for (var i = 0; i < 100; i++)
            {
                sessions.Insert(Document(batch * 100 + i));
            }

            db.Commit();
        }

        db.Checkpoint();
        Assert.True(LiteDbCacheLimit.CachedPages(db) > 1000, $"LiteDB's default cache held {LiteDbCacheLimit.CachedPages(db)} pages");
    }

    private static void Write(MailDatabase database)
    {
        // ~10 MB of documents (1,300 pages) in 30 transactions, then a checkpoint and reads across all of them.
        for (var batch = 0; batch < 30; batch++)
        {
            database.Db.BeginTrans();
            for (var i = 0; i < 100; i++)
            {
                database.Sessions.Insert(Document(batch * 100 + i));
            }

            database.Db.Commit();
        }

        database.Db.Checkpoint();

        // Reads one at a time, as the API does (one query holding every page would grow any cache to hold them all).
        for (var n = 0; n < 3000; n += 7)
        {
            Assert.NotNull(database.Sessions.FindById($"S{n:D6}"));
        }
    }

    private static BsonDocument Document(int n) =>
        new() { ["_id"] = $"S{n:D6}", ["Transcript"] = string.Concat(Enumerable.Range(0, 400).Select(i => $"{n}:{i} ")) };
}
