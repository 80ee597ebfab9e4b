using MailSink.Api.Wait;

namespace MailSink.Api;

/// <summary>
/// Every route of MailSink's own API v1 in one table, readable at a glance (as Mailpit's <c>apiRoutes()</c>):
/// the handlers live in one static class per resource, the paths live here. Shapes follow Mailpit's API v1 so
/// its clients work unchanged; the compatibility APIs (Compat/) are mapped beside this group, not inside it.
/// Each handler returns typed results, so /openapi/v1.json describes every route without annotations here;
/// the few that answer with bytes say so with <c>Produces</c>.
/// </summary>
internal static class ApiRoutes
{
    public const string Prefix = "/api/v1";

    public static RouteGroupBuilder MapApiV1(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup(Prefix);

        var info = v1.MapGroup("").WithTags("Info");
        info.MapGet("/info", InfoApi.InfoAsync);

        var messages = v1.MapGroup("").WithTags("Messages");
        messages.MapGet("/messages", MessagesApi.ListAsync).AddEndpointFilter(Compat.MailHogClients.ListFilterAsync);
        messages.MapPut("/messages", MessagesApi.SetReadAsync);
        messages.MapDelete("/messages", MessagesApi.DeleteAsync).AddEndpointFilter(Compat.MailHogClients.DeleteAllFilterAsync);
        messages.MapGet("/message/{id}", MessagesApi.GetAsync);
        messages.MapDelete("/message/{id}", MessagesApi.DeleteOneAsync);
        messages.MapPost("/message/{id}/release", ReleaseApi.ReleaseAsync);
        messages.MapGet("/message/{id}/headers", MessagePartsApi.HeadersAsync);
        messages.MapGet("/message/{id}/raw", MessagePartsApi.RawAsync).Produces<Stream>(StatusCodes.Status200OK, "text/plain", "message/rfc822");
        messages.MapGet("/message/{id}/part/{partId}", MessagePartsApi.PartAsync).Produces<Stream>(StatusCodes.Status200OK, "application/octet-stream");
        messages.MapGet("/message/{id}/received", MessagePartsApi.ReceivedAsync);
        messages.MapGet("/message/{id}/transcript", MessagePartsApi.TranscriptAsync);

        var checks = v1.MapGroup("").WithTags("Checks");
        checks.MapGet("/message/{id}/checks", ChecksApi.GetAsync);

        var codes = v1.MapGroup("").WithTags("Codes");
        codes.MapGet("/codes", CodesApi.List);

        var search = v1.MapGroup("").WithTags("Search");
        search.MapGet("/search", SearchApi.SearchAsync);
        search.MapDelete("/search", SearchApi.DeleteAsync);

        var tags = v1.MapGroup("/tags").WithTags("Tags");
        tags.MapGet("", TagsApi.ListAsync);
        tags.MapPut("", TagsApi.SetAsync);
        tags.MapPut("/{tag}", TagsApi.RenameAsync);
        tags.MapDelete("/{tag}", TagsApi.DeleteAsync);

        var wait = v1.MapGroup("").WithTags("Wait");
        wait.MapGet("/wait", WaitApi.WaitAsync)
            .WithSummary("Wait for messages matching a search query")
            .WithDescription("Returns the oldest `count` messages matching `query` that arrived after `after` (a message ID or an RFC 3339 time), as soon as they exist; 408 when `timeout` (30s, 500ms, 2m or seconds; at most 5m) passes first.");

        var sessions = v1.MapGroup("").WithTags("Sessions");
        sessions.MapGet("/sessions", SessionsApi.ListAsync);
        sessions.MapGet("/session/{id}", SessionsApi.GetAsync);

        var faults = v1.MapGroup("/faults").WithTags("Faults");
        faults.MapGet("", FaultsApi.List);
        faults.MapGet("/presets", FaultsApi.Presets);
        faults.MapGet("/{id}", FaultsApi.Get);
        faults.MapPost("", FaultsApi.AddAsync);
        faults.MapPut("/{id}", FaultsApi.ReplaceAsync);
        faults.MapDelete("/{id}", FaultsApi.DeleteAsync);
        faults.MapDelete("", FaultsApi.DeleteAllAsync);

        return v1;
    }
}
