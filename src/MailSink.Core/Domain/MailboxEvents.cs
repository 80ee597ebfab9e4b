namespace MailSink.Domain;

/// <summary>
/// In-process fan-out of store events. Handlers run on the publisher's thread and must not block:
/// they hand the event to their own queue (SignalR notifier, wait-for-message waiters).
/// </summary>
internal sealed class MailboxEvents
{
    private readonly Lock _gate = new();
    private Action<MailboxEvent>[] _handlers = [];

    public IDisposable Subscribe(Action<MailboxEvent> handler)
    {
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }

        return new Subscription(this, handler);
    }

    public void Publish(MailboxEvent e)
    {
        foreach (var handler in Volatile.Read(ref _handlers))
        {
            handler(e);
        }
    }

    private void Unsubscribe(Action<MailboxEvent> handler)
    {
        lock (_gate)
        {
            _handlers = _handlers.Where(h => h != handler).ToArray();
        }
    }

    private sealed class Subscription(MailboxEvents owner, Action<MailboxEvent> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(handler);
            }
        }
    }
}
