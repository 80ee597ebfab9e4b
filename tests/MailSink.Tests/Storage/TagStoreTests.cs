using MailSink.Domain;
using MailSink.Storage;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Storage;

/// <summary>Tags in the LiteDB file survive a reopen (tag behaviour shared by every store: Conformance/).</summary>
public sealed class TagStoreTests(StoreTestFolder folder) : IClassFixture<StoreTestFolder>, IAsyncLifetime
{
    private readonly MailboxEvents _events = new();
    private LiteDbMailStore _store = null!;
    private string _path = "";

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync()
    {
        _path = folder.NewDatabaseFile();
        _store = Open(_path, _events);
        for (var n = 1; n <= 3; n++)
        {
            await _store.AddMessageAsync(Message(n), Raw(n), Ct);
        }

        await _store.SetTagsAsync([Message(1).Id, Message(2).Id], ["alpha", "beta"], Ct);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Counts_list_each_tag_in_use_with_its_messages()
    {
        Assert.Equal(new Dictionary<string, int> { ["alpha"] = 2, ["beta"] = 2 }, await _store.GetTagCountsAsync(Ct));
    }

    [Fact]
    public void Counting_tags_walks_the_tags_index_and_reads_only_tagged_messages()
    {
        // A predicate on the documents reads every summary in one snapshot; LiteDB's cache then holds them all, for good.
        using var database = MailDatabase.OpenStream(new MemoryStream());
        var messages = database.Messages;
        messages.Insert(new LiteDB.BsonDocument { ["_id"] = "untagged", ["Tags"] = new LiteDB.BsonArray() });
        messages.Insert(new LiteDB.BsonDocument { ["_id"] = "tagged", ["Tags"] = new LiteDB.BsonArray(new LiteDB.BsonValue("a"), new LiteDB.BsonValue("b")) });

        var tagged = TagMutations.Tagged();
        using var reader = database.Db.Execute($"EXPLAIN SELECT $ FROM {StoreKeys.Messages} WHERE {tagged.Source}", tagged.Parameters);
        Assert.True(reader.Read());
        var plan = reader.Current;

        Assert.Equal(StoreKeys.TagsIndex, plan["index"]["name"].AsString);
        Assert.Equal(["tagged"], messages.Find(TagMutations.Tagged()).Select(d => d["_id"].AsString));
    }

    [Fact]
    public async Task Rename_changes_every_message_carrying_the_exact_name_and_announces_each()
    {
        var seen = Record(_events);

        Assert.Equal(0, await _store.RenameTagAsync("Alpha", "gamma", Ct));
        Assert.Equal(2, await _store.RenameTagAsync("alpha", "gamma", Ct));

        Assert.Equal(["beta", "gamma"], (await _store.GetMessageAsync(Message(2).Id, Ct))!.Tags);
        Assert.Equal(new Dictionary<string, int> { ["beta"] = 2, ["gamma"] = 2 }, await _store.GetTagCountsAsync(Ct));
        Assert.Equal([Message(1).Id, Message(2).Id], seen.Cast<MessageUpdated>().Select(u => u.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Delete_removes_the_tag_and_keeps_the_messages()
    {
        Assert.Equal(2, await _store.DeleteTagAsync("beta", Ct));
        Assert.Equal(0, await _store.DeleteTagAsync("beta", Ct));

        Assert.Equal(["alpha"], (await _store.GetMessageAsync(Message(1).Id, Ct))!.Tags);
        Assert.Equal(3, (await _store.GetStatsAsync(Ct)).Total);
    }

    [Fact]
    public async Task Add_keeps_the_tags_a_message_has_and_survives_a_reopen()
    {
        Assert.Equal(1, await _store.AddTagsAsync(Message(1).Id, ["zeta", "alpha"], Ct));
        Assert.Equal(0, await _store.AddTagsAsync("missing", ["zeta"], Ct));
        await _store.DisposeAsync();

        _store = Open(_path, _events);
        Assert.Equal(["alpha", "beta", "zeta"], (await _store.GetMessageAsync(Message(1).Id, Ct))!.Tags);
        Assert.Equal(2, await _store.RenameTagAsync("alpha", "renamed", Ct));
    }
}
