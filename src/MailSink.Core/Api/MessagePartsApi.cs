using MailSink.Contracts;
using MailSink.Domain;
using MailSink.Mime;
using MailSink.Smtp;
using MailSink.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace MailSink.Api;

/// <summary>
/// A message's headers, raw bytes, parts, Received chain and SMTP transcript. The raw and part routes answer
/// with bytes, whose OpenAPI description the route table adds (<see cref="ApiRoutes"/>): a file result does not
/// describe itself.
/// </summary>
internal static class MessagePartsApi
{
    internal static async Task<Results<Ok<List<HeaderDto>>, Ok<Dictionary<string, List<string>>>, ProblemHttpResult>> HeadersAsync(string id, bool? ordered, string? query, IMailStore store, CancellationToken cancellationToken)
    {
        var summary = await MessagesApi.ResolveAsync(id, query, store, cancellationToken);
        using var raw = summary is null ? null : await store.OpenRawAsync(summary.Id, cancellationToken);
        if (raw is null)
        {
            return ApiProblems.NotFound("Message", id);
        }

        var headers = new MessageContentReader(raw).Headers;
        if (ordered == true)
        {
            return TypedResults.Ok(headers.Select(h => new HeaderDto(h.Name, h.Value)).ToList());
        }

        // Mailpit's shape: name -> values in order; repeats kept in the array.
        var map = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var h in headers)
        {
            if (!map.TryGetValue(h.Name, out var values))
            {
                map[h.Name] = values = [];
            }

            values.Add(h.Value);
        }

        return TypedResults.Ok(map);
    }

    /// <summary>Streamed from the store (a large message's file is never read into one array; issue 12), with its length.</summary>
    internal static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> RawAsync(string id, bool? download, string? query, IMailStore store, HttpResponse response, CancellationToken cancellationToken)
    {
        var summary = await MessagesApi.ResolveAsync(id, query, store, cancellationToken);
        var raw = summary is null ? null : await store.OpenRawAsync(summary.Id, cancellationToken);
        if (summary is null || raw is null)
        {
            raw?.Dispose();
            return ApiProblems.NotFound("Message", id);
        }

        Harden(response);

        // The result disposes the stream once it is written.
        return download == true
            ? TypedResults.File(raw, "message/rfc822", $"{summary.Id}.eml")
            : TypedResults.Stream(raw, "text/plain; charset=utf-8");
    }

    /// <summary>The part is decoded as it is sent, from the raw stream, which lives as long as the response.</summary>
    internal static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> PartAsync(string id, string partId, string? query, IMailStore store, HttpResponse response, CancellationToken cancellationToken)
    {
        var summary = await MessagesApi.ResolveAsync(id, query, store, cancellationToken);
        var raw = summary is null ? null : await store.OpenRawAsync(summary.Id, cancellationToken);
        if (raw is null)
        {
            return ApiProblems.NotFound("Message", id);
        }

        response.RegisterForDispose(raw);
        if (!new MessageContentReader(raw).TryOpenPart(partId, out var part))
        {
            return ApiProblems.NotFound("Part", partId);
        }

        Harden(response);

        // Always a download: a part's HTML or SVG must never run in MailSink's origin (MailHog's stored XSS).
        return TypedResults.File(part.Content, part.ContentType, part.FileName);
    }

    internal static async Task<Results<Ok<List<ReceivedHop>>, ProblemHttpResult>> ReceivedAsync(string id, IMailStore store, CancellationToken cancellationToken)
    {
        var summary = await MessagesApi.ResolveAsync(id, store, cancellationToken);
        return summary is null ? ApiProblems.NotFound("Message", id) : TypedResults.Ok(summary.ReceivedChain);
    }

    internal static async Task<Results<Ok<MessageTranscriptDto>, ProblemHttpResult>> TranscriptAsync(string id, IMailStore store, ActiveSessions active, CancellationToken cancellationToken)
    {
        var summary = await MessagesApi.ResolveAsync(id, store, cancellationToken);
        if (summary is null)
        {
            return ApiProblems.NotFound("Message", id);
        }

        var session = active.TryGet(summary.SessionId) ?? await store.GetSessionAsync(summary.SessionId, cancellationToken);
        if (session is null)
        {
            return ApiProblems.NotFound("Session", summary.SessionId);
        }

        return TypedResults.Ok(new MessageTranscriptDto(
            SessionSummaryDto.From(Domain.SessionSummary.From(session)),
            session.Position(summary.TranscriptFirstLine),
            Math.Min(session.Position(summary.TranscriptLastLine), session.Lines.Count - 1),
            session.Lines.Select(TranscriptLineDto.From).ToList()));
    }

    internal static void Harden(HttpResponse response)
    {
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        response.Headers[HeaderNames.ContentSecurityPolicy] = "sandbox; default-src 'none'";
    }
}
