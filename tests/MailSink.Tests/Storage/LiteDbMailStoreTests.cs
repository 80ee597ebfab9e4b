using System.Globalization;
using MailSink.Domain;
using MailSink.Storage;
using static MailSink.Tests.Storage.TestStores;

namespace MailSink.Tests.Storage;

/// <summary>What only the LiteDB store has: chunked raw bytes, reopening the file, memory mode (behaviour shared by every store: Conformance/).</summary>
public sealed class LiteDbMailStoreTests(StoreTestFolder folder) : IClassFixture<StoreTestFolder>, IAsyncLifetime
{
    private readonly MailboxEvents _events = new();
    private LiteDbMailStore _store = null!;
    private string _path = "";

    private static CancellationToken Ct => CancellationToken.None;

    public Task InitializeAsync()
    {
        _path = folder.NewDatabaseFile();
        _store = Open(_path, _events);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Raw_larger_than_a_LiteDB_document_is_chunked_and_returned_whole()
    {
        var raw = new byte[17 * 1024 * 1024 + 3];
        new Random(7).NextBytes(raw);
        await _store.AddMessageAsync(Message(1), raw, Ct);

        Assert.Equal(raw, await _store.GetRawAsync(Message(1).Id, Ct));

        await _store.DeleteMessagesAsync([Message(1).Id], Ct);
        Assert.Null(await _store.GetRawAsync(Message(1).Id, Ct));
    }

    [Fact]
    public async Task Reopening_the_file_keeps_messages_sessions_and_counts()
    {
        await _store.AddMessageAsync(Message(1), Raw(1), Ct);
        await _store.AddMessageAsync(Message(2), Raw(2), Ct);
        await _store.SetReadAsync([Message(2).Id], true, Ct);
        await _store.SaveSessionAsync(Session(1), Ct);
        await _store.DisposeAsync();

        _store = Open(_path, _events);

        var stats = await _store.GetStatsAsync(Ct);
        Assert.Equal((2, 1, 1), (stats.Total, stats.Unread, stats.Sessions));
        Assert.Equal(Raw(2), await _store.GetRawAsync(Message(2).Id, Ct));
        Assert.Equal(3, (await _store.GetSessionAsync(Session(1).Id, Ct))!.Lines.Count);
        Assert.Equal("M00000002", (await _store.GetLatestAsync(Ct))!.Id);
    }

    [Fact]
    public async Task Memory_mode_works_through_the_same_code()
    {
        await using var memory = Open("memory", _events);
        await memory.AddMessageAsync(Message(1), Raw(1), Ct);
        await memory.SaveSessionAsync(Session(1), Ct);

        Assert.Equal(Raw(1), await memory.GetRawAsync(Message(1).Id, Ct));
        var stats = await memory.GetStatsAsync(Ct);
        Assert.Equal((1, 1), (stats.Total, stats.Sessions));
        Assert.True(stats.DatabaseBytes > 0);
        Assert.False(File.Exists("memory"));
    }
}
