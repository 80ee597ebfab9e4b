using System.Text;
using MailSink.Domain;
using MailSink.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api.Compat;

/// <summary>
/// MailHog's API v1 message routes (its Go source: MailHog-Server api/v1.go). IDs are MailSink's; "latest" is not
/// MailHog's and is not accepted here. The shared GET/DELETE /api/v1/messages are in <see cref="MailHogClients"/>.
/// </summary>
internal static class MailHogV1Api
{
    /// <summary>MailHog's v1 list returns at most this many messages (storage List(0, 1000)).</summary>
    private const int V1ListLimit = 1000;

    public static IEndpointRouteBuilder MapMailHogV1Api(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/messages/{id}").WithTags("MailHog compatibility");
        api.MapGet("", GetAsync);
        api.MapDelete("", DeleteAsync).Produces<string>(StatusCodes.Status200OK, "text/plain"); // MailHog's empty 200
        api.MapGet("/download", DownloadAsync).Produces<Stream>(StatusCodes.Status200OK, "message/rfc822");
        api.MapGet("/mime/part/{part}/download", PartAsync).Produces<Stream>(StatusCodes.Status200OK, "application/octet-stream");
        return app;
    }

    /// <summary>200 with no body, as MailHog answers its deletes (its npm client parses any body as JSON).</summary>
    public static IResult EmptyOk() => TypedResults.Ok();

    /// <summary>MailHog's GET /api/v1/messages: a JSON array, newest first.</summary>
    public static async Task<IResult> ListAsync(IMailStore store, CancellationToken cancellationToken)
    {
        var page = await store.ListMessagesAsync(0, V1ListLimit, null, cancellationToken);
        return TypedResults.Json(await MapAllAsync(page.Items, store, cancellationToken));
    }

    internal static async Task<List<MailHogMessage>> MapAllAsync(IReadOnlyList<MessageSummary> summaries, IMailStore store, CancellationToken cancellationToken)
    {
        var items = new List<MailHogMessage>(summaries.Count);
        foreach (var summary in summaries)
        {
            // A message deleted between the list and this read is left out, not an error.
            if (await store.GetRawAsync(summary.Id, cancellationToken) is { } raw)
            {
                items.Add(MailHogMessageMapper.Map(summary, raw));
            }
        }

        return items;
    }

    private static async Task<Results<Ok<MailHogMessage>, ProblemHttpResult>> GetAsync(string id, IMailStore store, CancellationToken cancellationToken)
    {
        var (summary, raw) = await LoadAsync(id, store, cancellationToken);
        return summary is null || raw is null ? ApiProblems.NotFound("Message", id) : TypedResults.Ok(MailHogMessageMapper.Map(summary, raw));
    }

    private static async Task<IResult> DeleteAsync(string id, IMailStore store, CancellationToken cancellationToken)
    {
        var summary = await store.GetMessageAsync(id, cancellationToken);
        if (summary is null)
        {
            return ApiProblems.NotFound("Message", id);
        }

        await store.DeleteMessagesAsync([summary.Id], cancellationToken);
        return EmptyOk();
    }

    private static async Task<IResult> DownloadAsync(string id, IMailStore store, HttpResponse response, CancellationToken cancellationToken)
    {
        var (summary, raw) = await LoadAsync(id, store, cancellationToken);
        if (summary is null || raw is null)
        {
            return ApiProblems.NotFound("Message", id);
        }

        // MailHog re-assembles headers and body; the stored bytes are what was received.
        MessagePartsApi.Harden(response);
        return TypedResults.File(raw, "message/rfc822", $"{summary.Id}.eml");
    }

    private static async Task<IResult> PartAsync(string id, string part, IMailStore store, HttpResponse response, CancellationToken cancellationToken)
    {
        var (summary, raw) = await LoadAsync(id, store, cancellationToken);
        if (summary is null || raw is null)
        {
            return ApiProblems.NotFound("Message", id);
        }

        var parts = MailHogMessageMapper.Map(summary, raw).MIME?.Parts ?? [];
        if (!int.TryParse(part, out var index) || index < 0 || index >= parts.Count)
        {
            return ApiProblems.NotFound("Part", part);
        }

        var content = parts[index];
        var contentType = Header(content, "Content-Type") ?? "application/octet-stream";
        if (!MimeKit.ContentType.TryParse(contentType, out var parsed))
        {
            contentType = "application/octet-stream";
        }
        else
        {
            contentType = parsed.MimeType;
        }

        // Always a download with MailHog's file name, never the part's own headers: a part's HTML must not run
        // in MailSink's origin (MailHog's stored XSS copied the part's Content-Type and Content-Disposition).
        MessagePartsApi.Harden(response);
        return TypedResults.File(Decode(content), contentType, $"{summary.Id}-part-{index}");
    }

    private static string? Header(MailHogContent content, string name) =>
        content.Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    /// <summary>The part's body with its transfer encoding undone (MailHog decodes base64 only; quoted-printable too here).</summary>
    private static byte[] Decode(MailHogContent content)
    {
        var encoding = Header(content, "Content-Transfer-Encoding")?.Trim().ToLowerInvariant();
        var body = Encoding.Latin1.GetBytes(content.Body);
        MimeKit.Encodings.IMimeDecoder? decoder = encoding switch
        {
            "base64" => new MimeKit.Encodings.Base64Decoder(),
            "quoted-printable" => new MimeKit.Encodings.QuotedPrintableDecoder(),
            _ => null,
        };
        if (decoder is null)
        {
            return Encoding.UTF8.GetBytes(content.Body);
        }

        var output = new byte[decoder.EstimateOutputLength(body.Length)];
        var length = decoder.Decode(body, 0, body.Length, output);
        return output[..length];
    }

    private static async Task<(MessageSummary? Summary, byte[]? Raw)> LoadAsync(string id, IMailStore store, CancellationToken cancellationToken)
    {
        var summary = await store.GetMessageAsync(id, cancellationToken);
        return (summary, summary is null ? null : await store.GetRawAsync(summary.Id, cancellationToken));
    }
}
