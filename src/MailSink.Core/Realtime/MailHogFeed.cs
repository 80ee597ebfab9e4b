using System.Threading.Channels;
using MailSink.Domain;

namespace MailSink.Realtime;

/// <summary>
/// New-message fan-out for MailHog's live feeds (/api/v1/events and /api/v2/websocket): one subscription to
/// <see cref="MailboxEvents"/> for all of them, a bounded queue per connection. As MailHog's hub does, a client that
/// falls 256 messages behind is dropped (its feed ends) rather than buffered without bound.
/// </summary>
internal sealed class MailHogFeed : IDisposable
{
    private const int Backlog = 256;

    private readonly Lock _gate = new();
    private readonly IDisposable _subscription;
    private Channel<MessageSummary>[] _listeners = [];

    public MailHogFeed(MailboxEvents events) => _subscription = events.Subscribe(OnEvent);

    /// <summary>Connections currently listening (tests check that a closed one is let go).</summary>
    public int ListenerCount => Volatile.Read(ref _listeners).Length;

    /// <summary>Starts listening; dispose the result when the connection ends.</summary>
    public Listener Listen()
    {
        var channel = Channel.CreateBounded<MessageSummary>(new BoundedChannelOptions(Backlog) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        lock (_gate)
        {
            _listeners = [.. _listeners, channel];
        }

        return new Listener(this, channel);
    }

    public void Dispose() => _subscription.Dispose();

    private void OnEvent(MailboxEvent e)
    {
        if (e is not MessageStored stored)
        {
            return;
        }

        foreach (var channel in Volatile.Read(ref _listeners))
        {
            if (!channel.Writer.TryWrite(stored.Summary))
            {
                // Full: the client does not keep up. End its feed (the publisher never waits).
                channel.Writer.TryComplete();
            }
        }
    }

    private void Remove(Channel<MessageSummary> channel)
    {
        lock (_gate)
        {
            _listeners = Array.FindAll(_listeners, c => !ReferenceEquals(c, channel));
        }

        channel.Writer.TryComplete();
    }

    /// <summary>One connection's queue of new messages.</summary>
    internal sealed class Listener(MailHogFeed feed, Channel<MessageSummary> channel) : IDisposable
    {
        public ChannelReader<MessageSummary> Messages => channel.Reader;

        public void Dispose() => feed.Remove(channel);
    }
}
