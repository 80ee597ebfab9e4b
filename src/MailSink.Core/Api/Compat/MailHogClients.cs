namespace MailSink.Api.Compat;

/// <summary>
/// The rule for the two routes MailHog and Mailpit share with different answers. Mailpit's clients
/// (mailpit-api, browsers, curl) send an Accept header; MailHog's npm client uses Node's http.request, which sends
/// none, and so do Go's and many scripting HTTP clients that MailHog's users wrote against its bare API.
/// <list type="bullet">
/// <item><c>GET /api/v1/messages</c> without an Accept header and without start/limit (MailHog's v1 list takes
/// neither) gets MailHog's answer, a JSON array of messages; anything else gets Mailpit's page object.</item>
/// <item><c>DELETE /api/v1/messages</c> without an Accept header and without a body gets MailHog's answer, 200
/// with an empty body (its npm client parses any body as JSON); anything else gets Mailpit's "ok". Both delete
/// everything; a body with IDs is always Mailpit's request and deletes only those.</item>
/// </list>
/// </summary>
internal static class MailHogClients
{
    public static bool WantsMailHogList(HttpRequest request) =>
        !request.Headers.ContainsKey("Accept") && !request.Query.ContainsKey("start") && !request.Query.ContainsKey("limit");

    public static bool WantsMailHogDeleteAll(HttpRequest request) =>
        !request.Headers.ContainsKey("Accept") && request.ContentLength is null or 0 && !request.Headers.ContainsKey("Transfer-Encoding");

    /// <summary>Endpoint filter for Mailpit's GET /api/v1/messages: answers MailHog's clients itself.</summary>
    public static async ValueTask<object?> ListFilter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        return WantsMailHogList(http.Request)
            ? await MailHogV1Api.ListAsync(http.RequestServices.GetRequiredService<Storage.IMailStore>(), http.RequestAborted)
            : await next(context);
    }

    /// <summary>Endpoint filter for Mailpit's DELETE /api/v1/messages: answers MailHog's clients itself.</summary>
    public static async ValueTask<object?> DeleteAllFilter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!WantsMailHogDeleteAll(http.Request))
        {
            return await next(context);
        }

        await http.RequestServices.GetRequiredService<Storage.IMailStore>().DeleteMessagesAsync(null, http.RequestAborted);
        return MailHogV1Api.EmptyOk();
    }
}
