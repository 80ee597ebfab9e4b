using MailSink.Domain;
using MailSink.Search;
using MailSink.Storage;

namespace MailSink.Api.Wait;

/// <summary>
/// The shared dispatcher behind GET /api/v1/wait: one subscription to <see cref="MailboxEvents"/> for
/// every waiter, so a stored message costs one pass over the pending waiters (a query match each) and an
/// idle waiter costs nothing but its entry. Nothing polls: a waiter wakes on the event that satisfies it.
/// </summary>
internal sealed class MessageWaiters : IDisposable
{
    private readonly Lock _gate = new();
    private readonly IMailStore _store;
    private readonly TimeProvider _time;
    private readonly IDisposable _subscription;
    private MessageWaiter[] _active = [];

    public MessageWaiters(IMailStore store, MailboxEvents events, TimeProvider time)
    {
        _store = store;
        _time = time;
        _subscription = events.Subscribe(OnEvent);
    }

    /// <summary>Waiters currently pending (tests check that disconnected clients are released).</summary>
    public int ActiveCount => Volatile.Read(ref _active).Length;

    /// <summary>
    /// Waits until <paramref name="count"/> messages matching <paramref name="query"/> that arrived after
    /// <paramref name="after"/> exist, counting those already stored. Returns the oldest such messages,
    /// oldest first, or null when <paramref name="timeout"/> passes first.
    /// </summary>
    /// <exception cref="OperationCanceledException">The caller gave up (the HTTP client went away).</exception>
    public async Task<WaitResult> WaitAsync(SearchQuery query, WaitAfter after, int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiter = new MessageWaiter(query, after, count);

        // Subscribe before looking at the store: a message committed in between is then seen by the
        // event, the store read, or both (the waiter de-duplicates by ID), never by neither.
        Add(waiter);
        try
        {
            // With the query, so a subject term reads only its candidates (the subject-word index), not every summary.
            var existing = await _store.ListMessagesAsync(0, int.MaxValue, query, waiter.Accepts, cancellationToken).ConfigureAwait(false);
            waiter.Arm(existing.Items);
            try
            {
                var matched = await waiter.Matched.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
                return new WaitResult(matched, matched.Count);
            }
            catch (TimeoutException)
            {
                return new WaitResult(null, waiter.Found);
            }
        }
        finally
        {
            Remove(waiter);
        }
    }

    public void Dispose() => _subscription.Dispose();

    private void OnEvent(MailboxEvent e)
    {
        if (e is not MessageStored stored)
        {
            return;
        }

        foreach (var waiter in Volatile.Read(ref _active))
        {
            waiter.Offer(stored.Summary);
        }
    }

    private void Add(MessageWaiter waiter)
    {
        lock (_gate)
        {
            _active = [.. _active, waiter];
        }
    }

    private void Remove(MessageWaiter waiter)
    {
        lock (_gate)
        {
            _active = Array.FindAll(_active, w => !ReferenceEquals(w, waiter));
        }
    }
}

/// <summary>The matches, oldest first, or null on timeout; <paramref name="Found"/> counts distinct matches seen.</summary>
internal sealed record WaitResult(IReadOnlyList<MessageSummary>? Matches, int Found);
