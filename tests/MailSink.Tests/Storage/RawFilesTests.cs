using MailSink.Domain;
using MailSink.Storage;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Storage;

/// <summary>
/// Large messages keep their raw bytes in a file each beside the LiteDB file (issue 12): read back byte for byte,
/// deleted with their message (delete, delete-all, retention), carried through a compaction, and a file no committed
/// message references is removed when the store opens.
/// </summary>
public sealed class RawFilesTests(StoreTestFolder folder) : IClassFixture<StoreTestFolder>
{
    private static readonly MessageIdGenerator Ids = new(TimeProvider.System);

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task A_large_message_is_a_file_read_back_byte_for_byte_and_deleted_with_its_message()
    {
        var path = folder.NewDatabaseFile();
        var (summary, raw) = Large(1, RawFiles.Threshold + 12_345);
        await using var store = Open(path);
        await store.AddMessageAsync(summary, raw, Ct);

        var file = FileOf(path, summary.Id);
        Assert.True(File.Exists(file), $"no file {file}");
        Assert.Equal(raw, await File.ReadAllBytesAsync(file, Ct));
        Assert.True(new FileInfo(path).Length < raw.Length / 2, $"the LiteDB file holds {new FileInfo(path).Length} bytes: the raw bytes went into it too");
        Assert.Equal(raw, await store.GetRawAsync(summary.Id, Ct));
        await using (var stream = await store.OpenRawAsync(summary.Id, Ct))
        {
            Assert.IsType<FileStream>(stream);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, Ct);
            Assert.Equal(raw, copy.ToArray());
        }

        Assert.True((await store.GetStatsAsync(Ct)).DatabaseBytes >= raw.Length, "the store's size leaves out its files");

        Assert.Equal(1, await store.DeleteMessagesAsync([summary.Id], Ct));
        Assert.False(File.Exists(file), "the file outlived its message");
        Assert.Null(await store.GetRawAsync(summary.Id, Ct));
        Assert.Null(await store.OpenRawAsync(summary.Id, Ct));
    }

    [Fact]
    public async Task A_message_under_the_threshold_stays_in_LiteDB()
    {
        var path = folder.NewDatabaseFile();
        var (summary, raw) = Large(1, RawFiles.Threshold - 1);
        await using var store = Open(path);
        await store.AddMessageAsync(summary, raw, Ct);

        Assert.False(File.Exists(FileOf(path, summary.Id)));
        Assert.Equal(raw, await store.GetRawAsync(summary.Id, Ct));
    }

    [Fact]
    public async Task Delete_all_and_retention_remove_the_files_of_the_messages_they_remove()
    {
        var path = folder.NewDatabaseFile();
        var messages = Enumerable.Range(1, 3).Select(n => Large(n, RawFiles.Threshold + n)).ToList();
        await using var store = Open(path);
        foreach (var (summary, raw) in messages)
        {
            await store.AddMessageAsync(summary, raw, Ct);
        }

        Assert.Equal(1, await store.PruneAsync(2, null, Ct));
        Assert.False(File.Exists(FileOf(path, messages[0].Summary.Id)), "the pruned message's file is still there");
        Assert.True(File.Exists(FileOf(path, messages[1].Summary.Id)));
        Assert.Equal(messages[2].Raw, await store.GetRawAsync(messages[2].Summary.Id, Ct));

        Assert.Equal(2, await store.DeleteMessagesAsync(null, Ct));
        Assert.Empty(Directory.EnumerateFiles(RawFiles.FolderFor(path)));

        // The store keeps taking large messages after the delete-all's compaction.
        var (after, afterRaw) = Large(9, RawFiles.Threshold);
        await store.AddMessageAsync(after, afterRaw, Ct);
        Assert.Equal(afterRaw, await store.GetRawAsync(after.Id, Ct));
    }

    [Fact]
    public async Task Files_no_committed_message_references_are_removed_when_the_store_opens()
    {
        var path = folder.NewDatabaseFile();
        var (kept, keptRaw) = Large(1, RawFiles.Threshold);
        await using (var store = Open(path))
        {
            await store.AddMessageAsync(kept, keptRaw, Ct);
        }

        // What a crash between a file's fsync and its commit leaves, and a write cut short before its rename.
        var orphan = FileOf(path, Ids.Next());
        await File.WriteAllBytesAsync(orphan, Incompressible(1000, 7), Ct);
        var partial = FileOf(path, Ids.Next()) + ".tmp";
        await File.WriteAllBytesAsync(partial, Incompressible(1000, 8), Ct);

        await using (var reopened = Open(path))
        {
            Assert.False(File.Exists(orphan), "an orphan file survived the start-up");
            Assert.False(File.Exists(partial), "a partial file survived the start-up");
            Assert.Equal(keptRaw, await reopened.GetRawAsync(kept.Id, Ct));

            // Still known as a file after the restart: deleting the message deletes it.
            Assert.Equal(1, await reopened.DeleteMessagesAsync([kept.Id], Ct));
            Assert.False(File.Exists(FileOf(path, kept.Id)));
        }
    }

    [Fact]
    public async Task A_compaction_at_start_up_keeps_the_reference_to_a_file()
    {
        var path = folder.NewDatabaseFile();
        var (large, largeRaw) = Large(1, RawFiles.Threshold);
        await using (var store = Open(path))
        {
            await store.AddMessageAsync(large, largeRaw, Ct);

            // Room freed in LiteDB's own file (messages stored in its chunks: ids that are not file names) to compact.
            var filler = Enumerable.Range(1, 40).ToList();
            foreach (var n in filler)
            {
                await store.AddMessageAsync(Message(n), Incompressible(1024 * 1024 - 1, n), Ct);
            }

            Assert.Equal(40, await store.DeleteMessagesAsync(filler.Select(n => Message(n).Id).ToList(), Ct));
        }

        var before = new FileInfo(path).Length;
        await using var reopened = Open(path);
        Assert.True(new FileInfo(path).Length < before / 3, "the file was not compacted at start-up");
        Assert.Equal(largeRaw, await reopened.GetRawAsync(large.Id, Ct));
    }

    private static string FileOf(string databasePath, string id) => Path.Combine(RawFiles.FolderFor(databasePath), id + ".eml");

    private static (MessageSummary Summary, byte[] Raw) Large(int n, int length)
    {
        var summary = Message(n);
        summary.Id = Ids.Next();
        summary.Size = length;
        return (summary, Incompressible(length, n));
    }
}
