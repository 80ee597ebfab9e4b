using MailSink.Mime;
using MailSink.Storage;
using Microsoft.Net.Http.Headers;

namespace MailSink.Api.Compat;

/// <summary>Mailpit's <c>GET /api/v1/message/{ID}/part/{PartID}/thumb</c>: a JPEG thumbnail of an image attachment.</summary>
internal static class MailpitThumbnailApi
{
    public static IEndpointRouteBuilder MapMailpitThumbnailApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/message/{id}/part/{partId}/thumb", ThumbnailAsync).WithTags("Mailpit compatibility")
            .Produces<Stream>(StatusCodes.Status200OK, "image/jpeg");
        return app;
    }

    private static async Task<IResult> ThumbnailAsync(string id, string partId, string? query, HttpResponse response, IMailStore store, CancellationToken cancellationToken)
    {
        var summary = await MessagesApi.ResolveAsync(id, query, store, cancellationToken);
        var raw = summary is null ? null : await store.GetRawAsync(summary.Id, cancellationToken);
        if (raw is null)
        {
            return ApiProblems.NotFound("Message", id);
        }

        if (!new MessageContentReader(raw).TryGetPart(partId, out var part))
        {
            return ApiProblems.NotFound("Part", partId);
        }

        // Decoding is CPU work on attacker-chosen bytes: off the request thread, bounded by MaxPixels.
        var jpeg = await Task.Run(() => ThumbnailRenderer.Render(part.ContentType, part.Content), cancellationToken);
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        return TypedResults.File(jpeg, "image/jpeg", Path.ChangeExtension(part.FileName, ".jpg"));
    }
}
