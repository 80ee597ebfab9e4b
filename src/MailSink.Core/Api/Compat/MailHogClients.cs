namespace MailSink.Api.Compat;

/// <summary>
/// The rule for the two routes MailHog and Mailpit share with different answers, decided by what the clients send.
/// <list type="bullet">
/// <item><c>DELETE /api/v1/messages</c> without an Accept header and without a body gets MailHog's answer, 200 with
/// an empty body: MailHog's npm client (Node's http.request, which sends no Accept) parses any body as JSON and
/// failed on "ok". Anything else (mailpit-api and browsers send Accept, a body with IDs is Mailpit's) gets Mailpit's
/// "ok". Both answers delete the same thing, so a client guessed wrong only sees a different body.</item>
/// <item><c>GET /api/v1/messages</c> keeps Mailpit's page object for every client that does not ask for MailHog's
/// JSON content type (<c>Accept: text/json</c>, the type MailHog answers with): neither npm client reads MailHog's
/// v1 list, while many Mailpit callers send no Accept header at all (.NET's HttpClient, Go, PHP's Guzzle), and they
/// would get an array they cannot read if a missing Accept meant MailHog.</item>
/// </list>
/// </summary>
internal static class MailHogClients
{
    public static bool WantsMailHogList(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase));

    public static bool WantsMailHogDeleteAll(HttpRequest request) =>
        !request.Headers.ContainsKey("Accept") && request.ContentLength is null or 0 && !request.Headers.ContainsKey("Transfer-Encoding");

    /// <summary>Endpoint filter for Mailpit's GET /api/v1/messages: answers MailHog's clients itself.</summary>
    public static async ValueTask<object?> ListFilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        return WantsMailHogList(http.Request)
            ? await MailHogV1Api.ListAsync(http.RequestServices.GetRequiredService<Storage.IMailStore>(), http.RequestAborted)
            : await next(context);
    }

    /// <summary>Endpoint filter for Mailpit's DELETE /api/v1/messages: answers MailHog's clients itself.</summary>
    public static async ValueTask<object?> DeleteAllFilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
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
