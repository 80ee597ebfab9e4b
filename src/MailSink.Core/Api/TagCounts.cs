using MailSink.Domain;
using MailSink.Storage;

namespace MailSink.Api;

/// <summary>
/// Every tag in use with its message count, as list pages (Mailpit's "All current tags"), /api/v1/tags and info give
/// it. Reading it walks the tagged messages, so the answer is kept until a store event may have changed it.
/// </summary>
internal sealed class TagCounts : IDisposable
{
    private readonly IMailStore _store;
    private readonly IDisposable _subscription;
    private long _version;
    private Snapshot? _cached;

    public TagCounts(IMailStore store, MailboxEvents events)
    {
        _store = store;
        _subscription = events.Subscribe(OnEvent);
    }

    public async Task<IReadOnlyDictionary<string, int>> GetAsync(CancellationToken cancellationToken)
    {
        // Events are published after their commit: a read that starts after this version saw at least that state,
        // and an event during the read makes the stored snapshot stale at once.
        var version = Interlocked.Read(ref _version);
        if (Volatile.Read(ref _cached) is { } cached && cached.Version == version)
        {
            return cached.Counts;
        }

        var counts = await _store.GetTagCountsAsync(cancellationToken);
        Volatile.Write(ref _cached, new Snapshot(version, counts));
        return counts;
    }

    public void Dispose() => _subscription.Dispose();

    private void OnEvent(MailboxEvent e)
    {
        if (e is MessageStored { Summary.Tags.Count: > 0 } or MessageUpdated or MessagesDeleted)
        {
            Interlocked.Increment(ref _version);
        }
    }

    private sealed record Snapshot(long Version, IReadOnlyDictionary<string, int> Counts);
}
