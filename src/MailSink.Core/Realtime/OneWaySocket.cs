using System.Net.WebSockets;

namespace MailSink.Realtime;

/// <summary>
/// What the one-way live feeds (MailHog's /api/v2/websocket, Mailpit's /api/events) share: the server only sends,
/// so incoming frames are read just to notice the client's close, and the feed ends with a close of its own.
/// </summary>
internal static class OneWaySocket
{
    /// <summary>Reads (and drops) what the client sends until it closes or fails; then cancels <paramref name="closed"/>.</summary>
    public static async Task DrainIncomingAsync(WebSocket socket, CancellationTokenSource closed)
    {
        var buffer = new byte[1024];
        try
        {
            while (!closed.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer, closed.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The client went away, or the feed is ending.
        }
        finally
        {
            await closed.CancelAsync();
        }
    }

    /// <summary>Answers the client's close (or ends a feed dropped for falling behind) with a normal close; best effort.</summary>
    public static async Task CloseQuietlyAsync(WebSocket socket, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        try
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, grace.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Nothing more to tell a client that is gone.
        }
    }
}
