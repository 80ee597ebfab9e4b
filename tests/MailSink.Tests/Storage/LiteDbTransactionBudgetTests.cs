using LiteDB;
using MailSink.Storage;

namespace MailSink.Tests.Storage;

/// <summary>
/// One long LiteDB read lets its pages go as it goes instead of growing the page cache to hold every page it read,
/// while the writer keeps LiteDB's own budget, under which a large delete gives its pages back to the file
/// (<see cref="LiteDbTransactionBudget"/>). Real database files; a LiteDB upgrade that moves the internals this
/// reaches fails here.
/// </summary>
public sealed class LiteDbTransactionBudgetTests : IClassFixture<StoreTestFolder>
{
    /// <summary>~3.6 KB documents: LiteDB gives each a data page of its own, so each read pins one more page.</summary>
    private const int Documents = 10_000;

    private readonly StoreTestFolder _folder;

    public LiteDbTransactionBudgetTests(StoreTestFolder folder) => _folder = folder;

    [Fact]
    public void Reads_have_the_small_budget_and_the_writer_in_the_gate_has_LiteDBs_own()
    {
        using var database = MailDatabase.Open(TestStores.DataFolder(_folder.NewDatabaseFile()));
        var budget = new LiteDbTransactionBudget(database.Db);
        Assert.True(budget.IsAvailable, "LiteDB's transaction monitor is not as in 5.0.21");
        Assert.Equal(LiteDbTransactionBudget.ReadPages, budget.FreePages);

        using (database.Gate.Write())
        {
            Assert.Equal(LiteDbTransactionBudget.WritePages, budget.FreePages);
            using (database.Gate.Write())
            {
                // A recursive entry changes nothing, and neither does its exit.
            }

            Assert.Equal(LiteDbTransactionBudget.WritePages, budget.FreePages);
            Fill(database.Db, 0, 3_000);
        }

        Assert.Equal(LiteDbTransactionBudget.ReadPages, budget.FreePages);

        // A read that took its budget many times over hands every page back when it ends.
        Assert.Equal(3_000, database.Sessions.Query().ToDocuments().Count());
        Assert.Equal(LiteDbTransactionBudget.ReadPages, budget.FreePages);
    }

    [Fact]
    public void One_query_over_every_document_leaves_the_cache_far_below_the_pages_it_read()
    {
        using var database = MailDatabase.Open(TestStores.DataFolder(_folder.NewDatabaseFile()));
        using (database.Gate.Write())
        {
            Fill(database.Db, 0, Documents);
            database.Db.Checkpoint();
        }

        // One query, so one transaction, reading 10,000 pages.
        using (database.Gate.Read())
        {
            Assert.Equal(Documents, database.Sessions.Query().ToDocuments().Count());
        }

        // LiteDB's segments are 12, 50, 100, 500 and then 1,000 pages: with the read budget the cache settles at
        // 2,662 to 3,662 pages (the next test's grows past 9,000).
        Assert.InRange(LiteDbCacheLimit.CachedPages(database.Db), 1, 5_000);
    }

    [Fact]
    public void Without_the_budget_the_same_query_grows_the_cache_to_hold_every_page()
    {
        // The other test's bound means something only if LiteDB's default grows past it on the same work.
        using var db = new LiteDatabase(new ConnectionString { Filename = _folder.NewDatabaseFile(), Connection = ConnectionType.Direct });
        Fill(db, 0, Documents);
        db.Checkpoint();

        Assert.Equal(Documents, db.GetCollection(StoreKeys.Sessions).Query().ToDocuments().Count());
        Assert.True(LiteDbCacheLimit.CachedPages(db) > 9_000, $"LiteDB's default cache held {LiteDbCacheLimit.CachedPages(db)} pages");
    }

    [Fact]
    public void The_pages_a_delete_larger_than_the_read_budget_frees_are_reused_by_the_next_writes()
    {
        // Under the read budget this delete would reach a safepoint, and LiteDB 5.0.21 would never link the pages
        // it freed into the file's free list: the second fill would grow the file by as much as the first.
        var path = _folder.NewDatabaseFile();
        using var database = MailDatabase.Open(TestStores.DataFolder(path));
        using (database.Gate.Write())
        {
            Fill(database.Db, 0, 3_000);
            database.Db.Checkpoint();
        }

        var filled = new FileInfo(path).Length;
        using (database.Gate.Write())
        {
            database.Db.BeginTrans();
            Assert.Equal(3_000, database.Sessions.DeleteAll());
            database.Db.Commit();
            database.Db.Checkpoint();

            Fill(database.Db, 3_000, 6_000);
            database.Db.Checkpoint();
        }

        var refilled = new FileInfo(path).Length;
        // Measured: 20.9 MB, then 25.0 MB; with the writer under the read budget, 45.8 MB.
        Assert.True(refilled < filled * 3 / 2, $"{filled} bytes after the first 3,000 documents, {refilled} after deleting them and writing 3,000 more");
        Assert.Equal(3_000, database.Sessions.Count());
    }

    private static void Fill(LiteDatabase db, int from, int to)
    {
        var sessions = db.GetCollection(StoreKeys.Sessions);
        for (var start = from; start < to; start += 500)
        {
            db.BeginTrans();
            for (var n = start; n < Math.Min(start + 500, to); n++)
            {
                sessions.Insert(new BsonDocument { ["_id"] = $"S{n:D6}", ["Transcript"] = Transcript(n) });
            }

            db.Commit();
        }
    }

    private static string Transcript(int n) => string.Concat(Enumerable.Range(0, 400).Select(i => $"{n}:{i:D3} "));
}
