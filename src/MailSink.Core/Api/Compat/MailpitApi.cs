using MailSink.Realtime;

namespace MailSink.Api.Compat;

/// <summary>The Mailpit-only routes (send, view, webui, checks, live feed) in one place for the host to map.</summary>
internal static class MailpitApi
{
    public static IEndpointRouteBuilder MapMailpitApi(this IEndpointRouteBuilder app)
    {
        // Created now so it counts deletions from start-up, not from the first info request.
        app.ServiceProvider.GetRequiredService<DeletedMessagesCounter>();
        app.MapMailpitSendApi();
        app.MapMailpitViewApi();
        app.MapMailpitWebUiApi();
        app.MapMailpitChecksApi();
        app.MapMailpitThumbnailApi();
        app.MapMailpitEvents();
        return app;
    }
}
