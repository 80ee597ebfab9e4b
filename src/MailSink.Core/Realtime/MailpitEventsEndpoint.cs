using System.Net.WebSockets;

namespace MailSink.Realtime;

/// <summary>
/// Mailpit's live feed at <c>GET /api/events</c>: a WebSocket of <see cref="MailpitFrame"/>s. Origin-checked by
/// <see cref="HubOriginPolicy"/> before the upgrade, like the inbox hub: any page the developer visits could
/// otherwise open it and read every captured mail as it arrives (Mailpit's own CheckOrigin accepted every origin).
/// </summary>
internal static class MailpitEventsEndpoint
{
    public const string Path = "/api/events";

    public static IEndpointRouteBuilder MapMailpitEvents(this IEndpointRouteBuilder endpoints)
    {
        // A pipeline of its own with the WebSocket middleware, as SignalR's MapConnections builds one.
        var pipeline = endpoints.CreateApplicationBuilder();
        pipeline.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        pipeline.Run(ServeAsync);
        endpoints.Map(Path, pipeline.Build()).WithTags("Mailpit compatibility");
        return endpoints;
    }

    private static async Task ServeAsync(HttpContext context)
    {
        var policy = context.RequestServices.GetRequiredService<HubOriginPolicy>();
        if (!policy.IsAllowed(context.Request))
        {
            await TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Origin not allowed",
                detail: $"The origin '{context.Request.Headers.Origin}' may not open {Path}. Add it to Web:AllowedOrigins to allow it.")
                .ExecuteAsync(context);
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "WebSocket required",
                detail: $"{Path} is Mailpit's live feed: open it as a WebSocket (ws://host{Path}).")
                .ExecuteAsync(context);
            return;
        }

        var feed = context.RequestServices.GetRequiredService<MailpitEventFeed>();
        var outbox = feed.Register();
        WebSocket socket;
        try
        {
            socket = await context.WebSockets.AcceptWebSocketAsync();
        }
        catch
        {
            feed.Unregister(outbox);
            throw;
        }

        using (socket)
        {
            var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            await feed.ServeAsync(socket, outbox, linked.Token);
        }
    }
}
