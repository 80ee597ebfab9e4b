using LiteDB;
using MailSink.Storage;

namespace MailSink.Tests.Storage;

/// <summary>
/// The writer checkpoints when the log holds ~8 MB; in memory it must see the log's real length (it saw 0 and
/// checkpointed on its own estimate, a quarter of what LiteDB logs, so the log grew to ~33 MB between checkpoints).
/// </summary>
public sealed class MemoryLogBytesTests
{
    [Fact]
    public void A_memory_database_reports_what_its_log_holds_until_a_checkpoint_empties_it()
    {
        var log = new ChunkedMemoryStream();
        using var database = MailDatabase.OpenStream(new CompressedPageStream(), log: log);
        database.Db.BeginTrans();
        for (var i = 0; i < 200; i++)
        {
            database.Sessions.Insert(new BsonDocument { ["_id"] = $"S{i:D4}", ["Transcript"] = new string('t', 2000) });
        }

        database.Db.Commit();

        // 200 documents of 2 KB: at least 50 pages went into the log.
        Assert.InRange(database.LogBytes(), 50L * 8192, long.MaxValue);
        Assert.Equal(log.Length, database.LogBytes());

        database.Db.Checkpoint();
        Assert.Equal(0, database.LogBytes());
    }
}
