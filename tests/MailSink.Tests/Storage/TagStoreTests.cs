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
