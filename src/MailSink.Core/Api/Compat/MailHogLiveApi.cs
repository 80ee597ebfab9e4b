using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using MailSink.Realtime;
using MailSink.Storage;
using Microsoft.Extensions.Options;

namespace MailSink.Api.Compat;

/// <summary>
/// MailHog's live feeds, one event per new message with the message in MailHog's shape: GET /api/v1/events
/// (EventSource; MailHog sends its indented JSON one "data:" line per line, and a "keepalive" line every minute)
/// and GET /api/v2/websocket (one text frame of JSON per message). Both take the hub's Origin check, so a page on
/// another origin cannot read captured mail through the developer's browser (MailHog accepts any origin).
/// </summary>
internal static class MailHogLiveApi
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromMinutes(1);

    public static WebApplication MapMailHogLiveApi(this WebApplication app)
    {
        // WebSocket upgrades for this route only: the hub keeps the transports it negotiates today.
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api/v2/websocket"), b => b.UseWebSockets());
        app.MapGet("/api/v1/events", EventsAsync).WithTags("MailHog compatibility").Produces<string>(StatusCodes.Status200OK, "text/event-stream");
        app.MapGet("/api/v2/websocket", WebSocketAsync).WithTags("MailHog compatibility");
        return app;
    }

    private static async Task EventsAsync(HttpContext context, MailHogFeed feed, IMailStore store, HubOriginPolicy origins, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        if (!await CheckOriginAsync(context, origins))
        {
            return;
        }

        var options = new JsonSerializerOptions(json.Value.SerializerOptions) { WriteIndented = true, IndentSize = 2 };
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.Body.FlushAsync(context.RequestAborted);

        using var listener = feed.Listen();
        var cancellationToken = context.RequestAborted;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                tick.CancelAfter(KeepAlive);
                bool more;
                try
                {
                    more = await listener.Messages.WaitToReadAsync(tick.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await response.WriteAsync("keepalive: \n\n", cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                    continue;
                }

                if (!more)
                {
                    return;
                }

                while (listener.Messages.TryRead(out var summary))
                {
                    if (await store.GetRawAsync(summary.Id, cancellationToken) is not { } raw)
                    {
                        continue;
                    }

                    var text = JsonSerializer.Serialize(MailHogMessageMapper.Map(summary, raw), options);
                    var frame = new StringBuilder();
                    foreach (var line in text.Split('\n'))
                    {
                        frame.Append("data: ").Append(line.TrimEnd('\r')).Append('\n');
                    }

                    await response.WriteAsync(frame.Append('\n').ToString(), cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static async Task WebSocketAsync(HttpContext context, MailHogFeed feed, IMailStore store, HubOriginPolicy origins, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        if (!await CheckOriginAsync(context, origins))
        {
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "WebSocket required", detail: "GET /api/v2/websocket is a WebSocket endpoint: open it with a WebSocket client.").ExecuteAsync(context);
            return;
        }

        using var listener = feed.Listen();
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var closing = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);

        // MailHog reads nothing from the client but control frames; a close (or any read error) ends the feed.
        var reading = OneWaySocket.DrainIncomingAsync(socket, closing);
        try
        {
            await foreach (var summary in listener.Messages.ReadAllAsync(closing.Token))
            {
                if (await store.GetRawAsync(summary.Id, closing.Token) is not { } raw)
                {
                    continue;
                }

                var bytes = JsonSerializer.SerializeToUtf8Bytes(MailHogMessageMapper.Map(summary, raw), json.Value.SerializerOptions);
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, closing.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The client closed or went away.
        }

        await closing.CancelAsync();
        await reading;
        await OneWaySocket.CloseQuietlyAsync(socket, "feed ended");
    }

    private static async Task<bool> CheckOriginAsync(HttpContext context, HubOriginPolicy origins)
    {
        if (origins.IsAllowed(context.Request))
        {
            return true;
        }

        await TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Origin not allowed",
            detail: $"The origin '{context.Request.Headers.Origin}' may not open {context.Request.Path}. Add it to Web:AllowedOrigins to allow it.").ExecuteAsync(context);
        return false;
    }
}
