namespace MailSink.Realtime;

/// <summary>Registers and maps the inbox hub.</summary>
internal static class RealtimeServiceCollectionExtensions
{
    /// <summary>SignalR, the origin policy and the notifier that drains store events into the hub.</summary>
    public static IServiceCollection AddRealtime(this IServiceCollection services)
    {
        // The API serializes with PascalCase names as declared (Mailpit's shapes); the hub must match it.
        services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.PropertyNamingPolicy = null);
        services.AddSingleton<HubOriginPolicy>();
        services.AddHostedService<InboxNotifier>();
        services.AddSingleton<MailHogFeed>();
        services.AddSingleton<MailpitEventFeed>();
        services.AddHostedService<MailpitEventNotifier>();
        return services;
    }

    /// <summary>
    /// Maps <c>/hubs/inbox</c>. The origin check wraps every endpoint of the hub (negotiate and connect), so a
    /// foreign page is refused before any WebSocket is accepted, not after.
    /// </summary>
    public static HubEndpointConventionBuilder MapRealtime(this IEndpointRouteBuilder endpoints)
    {
        var hub = endpoints.MapHub<InboxHub>(InboxHub.Path);
        hub.Add(endpoint =>
        {
            var inner = endpoint.RequestDelegate;
            if (inner is null)
            {
                return;
            }

            endpoint.RequestDelegate = async context =>
            {
                var policy = context.RequestServices.GetRequiredService<HubOriginPolicy>();
                if (!policy.IsAllowed(context.Request))
                {
                    await TypedResults.Problem(
                        statusCode: StatusCodes.Status403Forbidden,
                        title: "Origin not allowed",
                        detail: $"The origin '{context.Request.Headers.Origin}' may not open {InboxHub.Path}. "
                            + "Add it to Web:AllowedOrigins to allow it.").ExecuteAsync(context);
                    return;
                }

                await inner(context);
            };
        });
        return hub;
    }
}
