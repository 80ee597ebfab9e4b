using System.Text;
using LiteDB;
using MailSink.Storage;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Storage;

/// <summary>Raw bodies are stored zstd-compressed when that saves space, and documents stored before are still read (issue 12).</summary>
public sealed class RawCompressionTests(StoreTestFolder folder) : IClassFixture<StoreTestFolder>
{
    private static CancellationToken Ct => CancellationToken.None;

    private static readonly byte[] Text = Encoding.ASCII.GetBytes(
        "Subject: report\r\n\r\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"Line {i} of a plain text report.\r\n")));

    [Fact]
    public async Task Text_is_stored_compressed_and_read_back_byte_for_byte()
    {
        var path = folder.NewDatabaseFile();
        await using (var store = Open(path))
        {
            await store.AddMessageAsync(Message(1), Text, Ct);
            Assert.Equal(Text, await store.GetRawAsync(Message(1).Id, Ct));
        }

        using var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        var doc = db.GetCollection(StoreKeys.Raw).FindById(Message(1).Id);
        Assert.Equal(Text.Length, doc["z"].AsInt32);
        Assert.True(doc["d"].AsBinary.Length < Text.Length / 3, $"{Text.Length} bytes stored as {doc["d"].AsBinary.Length}");
    }

    [Fact]
    public async Task Incompressible_bytes_are_stored_as_they_came()
    {
        var path = folder.NewDatabaseFile();
        var random = Incompressible(50_000, 3);
        await using (var store = Open(path))
        {
            await store.AddMessageAsync(Message(1), random, Ct);
            Assert.Equal(random, await store.GetRawAsync(Message(1).Id, Ct));
        }

        using var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        var doc = db.GetCollection(StoreKeys.Raw).FindById(Message(1).Id);
        Assert.False(doc.ContainsKey("z"));
        Assert.Equal(random, doc["d"].AsBinary);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_message_of_several_chunks_is_stored_in_compressed_chunks_or_as_it_came(bool compressible)
    {
        // Hex text compresses to about half: 4 MB stays over one 1 MB chunk compressed.
        var message = compressible
            ? Encoding.ASCII.GetBytes(Convert.ToHexString(Incompressible(2_000_000, 7)))
            : Incompressible(2_500_000, 5);
        var path = folder.NewDatabaseFile();
        await using (var store = Open(path))
        {
            await store.AddMessageAsync(Message(1), message, Ct);
            Assert.Equal(message, await store.GetRawAsync(Message(1).Id, Ct));
        }

        using var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
        var first = db.GetCollection(StoreKeys.Raw).FindById(Message(1).Id);
        Assert.True(first["n"].AsInt32 > 1, $"{first["n"].AsInt32} chunk(s)");
        Assert.Equal(compressible, first.ContainsKey("z"));
        Assert.True(compressible ? first["len"].AsInt32 < message.Length * 3 / 4 : first["len"].AsInt32 == message.Length, $"{message.Length} bytes stored as {first["len"].AsInt32}");
    }

    [Fact]
    public async Task A_message_stored_uncompressed_by_an_earlier_version_is_read_as_it_is()
    {
        var path = folder.NewDatabaseFile();
        await using (var store = Open(path))
        {
            await store.AddMessageAsync(Message(1), Raw(1), Ct);
        }

        using (var db = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct }))
        {
            // What versions before compression wrote: the bytes in "d", no "z".
            db.GetCollection(StoreKeys.Raw).Upsert(new BsonDocument { ["_id"] = Message(1).Id, ["d"] = Text, ["n"] = 1, ["len"] = Text.Length });
        }

        await using var reopened = Open(path);
        Assert.Equal(Text, await reopened.GetRawAsync(Message(1).Id, Ct));
    }
}
