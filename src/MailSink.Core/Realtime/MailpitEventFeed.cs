using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace MailSink.Realtime;

/// <summary>
/// The browsers and scripts connected to Mailpit's <c>/api/events</c> WebSocket, each with its own bounded
/// outbox so one slow reader never holds up the others or the store: a reader that falls
/// <see cref="OutboxFrames"/> frames behind is disconnected (it re-fetches on reconnect, as Mailpit's UI does).
/// </summary>
internal sealed class MailpitEventFeed
{
    public const int OutboxFrames = 1000;
    private readonly ConcurrentDictionary<Channel<byte[]>, byte> _clients = new();

    public int Count => _clients.Count;

    /// <summary>Queues one frame (UTF-8 JSON) for every connected client.</summary>
    public void Broadcast(byte[] frame)
    {
        foreach (var client in _clients.Keys)
        {
            if (!client.Writer.TryWrite(frame))
            {
                client.Writer.TryComplete(new TimeoutException("The client fell too far behind the live feed."));
            }
        }
    }

    /// <summary>
    /// Starts queueing frames for a client about to be accepted. Called before the WebSocket upgrade completes:
    /// a client that sends mail as soon as its socket opens must get that message's frame (it raced the
    /// registration when it was made after the accept).
    /// </summary>
    public Channel<byte[]> Register()
    {
        var outbox = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(OutboxFrames) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _clients.TryAdd(outbox, 0);
        return outbox;
    }

    /// <summary>Stops queueing for a client that was registered but never accepted.</summary>
    public void Unregister(Channel<byte[]> outbox) => _clients.TryRemove(outbox, out _);

    /// <summary>Sends the frames queued in <paramref name="outbox"/> to <paramref name="socket"/> until it closes or the host stops.</summary>
    public async Task ServeAsync(WebSocket socket, Channel<byte[]> outbox, CancellationToken cancellationToken)
    {
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = OneWaySocket.DrainIncomingAsync(socket, closed);
        try
        {
            await foreach (var frame in outbox.Reader.ReadAllAsync(closed.Token))
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, closed.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ChannelClosedException or TimeoutException)
        {
            // The client left, fell behind, or the host is stopping.
        }
        finally
        {
            _clients.TryRemove(outbox, out _);
            await closed.CancelAsync();
            await reading;
            await OneWaySocket.CloseQuietlyAsync(socket, "bye");
        }
    }
}
