using MailSink.Domain;
using MailSink.Search;

namespace MailSink.Api.Wait;

/// <summary>
/// One pending GET /api/v1/wait. Collects matching messages from two sources (the store check and the
/// events published after it subscribed) and completes once <see cref="Count"/> distinct ones are known.
/// It only decides after the store check has been folded in (<see cref="Arm"/>), so the result is always
/// the oldest matches, not whichever the events delivered first.
/// </summary>
internal sealed class MessageWaiter
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, MessageSummary> _matches = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<IReadOnlyList<MessageSummary>> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _armed;

    public MessageWaiter(SearchQuery query, WaitAfter after, int count)
    {
        Query = query;
        After = after;
        Count = count;
    }

    public SearchQuery Query { get; }

    public WaitAfter After { get; }

    public int Count { get; }

    /// <summary>Completes with the oldest <see cref="Count"/> matches, oldest first.</summary>
    public Task<IReadOnlyList<MessageSummary>> Matched => _done.Task;

    /// <summary>How many distinct matches are known so far (for the timeout problem).</summary>
    public int Found
    {
        get
        {
            lock (_gate)
            {
                return _matches.Count;
            }
        }
    }

    public bool Accepts(MessageSummary message) => After.Admits(message) && Query.Matches(message);

    /// <summary>Called on the store's publishing thread: must stay cheap and never block.</summary>
    public void Offer(MessageSummary message)
    {
        if (_done.Task.IsCompleted || !Accepts(message))
        {
            return;
        }

        lock (_gate)
        {
            _matches.TryAdd(message.Id, message);
            CompleteIfEnough();
        }
    }

    /// <summary>Folds in what the store already held, then lets the waiter complete.</summary>
    public void Arm(IEnumerable<MessageSummary> existing)
    {
        lock (_gate)
        {
            foreach (var message in existing)
            {
                _matches.TryAdd(message.Id, message);
            }

            _armed = true;
            CompleteIfEnough();
        }
    }

    private void CompleteIfEnough()
    {
        if (_armed && _matches.Count >= Count)
        {
            _done.TrySetResult(_matches.Values.Take(Count).ToList());
        }
    }
}
