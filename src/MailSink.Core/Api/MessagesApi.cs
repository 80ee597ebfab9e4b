using System.Text.Json;
using MailSink.Contracts;
using MailSink.Domain;
using MailSink.Mime;
using MailSink.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api;

/// <summary>/api/v1/messages and /api/v1/message/{id}: Mailpit API v1 shapes, plus MailHog's delete routes (mapped in ApiRoutes).</summary>
internal static class MessagesApi
{
    internal static async Task<Results<Ok<MessagesPageDto>, ProblemHttpResult>> ListAsync(
        string? start, string? limit, IMailStore store, CancellationToken cancellationToken, TagCounts? tags = null)
    {
        if (!Paging.TryParse(start, limit, out var paging, out var problem))
        {
            return problem!;
        }

        var page = await store.ListMessagesAsync(paging.Start, paging.Limit, null, cancellationToken);
        var stats = await store.GetStatsAsync(cancellationToken);
        var allTags = tags is null ? null : (await tags.GetAsync(cancellationToken)).Keys.ToList();
        return TypedResults.Ok(ToPage(page, stats, paging, stats.Unread, allTags));
    }

    // allTags: every tag in use (Mailpit's "All current tags"); null gives the tags of the page's messages.
    internal static MessagesPageDto ToPage(Page<MessageSummary> page, StoreStats stats, Paging paging, int matchingUnread, IReadOnlyList<string>? allTags = null) => new(
        stats.Total,
        stats.Unread,
        page.Items.Count,
        page.Total,
        matchingUnread,
        paging.Start,
        allTags ?? page.Items.SelectMany(m => m.Tags).Distinct().Order(StringComparer.Ordinal).ToList(),
        page.Items.Select(MessageSummaryDto.Of).ToList());

    internal static async Task<Results<Ok<MessageDto>, ProblemHttpResult>> GetAsync(string id, string? query, IMailStore store, CancellationToken cancellationToken)
    {
        var summary = await ResolveAsync(id, query, store, cancellationToken);

        // A stream, not an array: a large message's file is parsed where it lies (issue 12).
        using var raw = summary is null ? null : await store.OpenRawAsync(summary.Id, cancellationToken);
        if (summary is null || raw is null)
        {
            return ApiProblems.NotFound("Message", id);
        }

        // Mailpit marks a message read when its whole content is fetched (storage.GetMessage). Best effort: a store
        // refusing writes (a full disk) must not turn a read into an error.
        var read = summary.Read;
        if (!read)
        {
            try
            {
                await store.SetReadAsync([summary.Id], true, cancellationToken);
                read = true;
            }
            catch (StoreUnavailableException)
            {
            }
        }

        var content = new MessageContentReader(raw);
        string? Header(string name) => content.Headers.FirstOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value;
        var returnPath = Header("Return-Path")?.Trim().Trim('<', '>');
        return TypedResults.Ok(new MessageDto(
            summary.Id,
            summary.MessageId ?? "",
            read,
            summary.From,
            summary.To,
            summary.Cc,
            summary.Bcc,
            summary.ReplyTo,
            returnPath ?? summary.Envelope.MailFrom,
            summary.Subject,
            summary.Date ?? summary.ReceivedAt,
            summary.ReceivedAt,
            summary.Tags,
            summary.Envelope.AuthUser ?? "",
            content.Text ?? "",
            content.Html ?? "",
            summary.Size,
            summary.Inlines.Select(a => AttachmentDto.From(a) with { Checksums = Compat.AttachmentChecksums.Of(content, a.PartId) }).ToList(),
            summary.Attachments.Select(a => AttachmentDto.From(a) with { Checksums = Compat.AttachmentChecksums.Of(content, a.PartId) }).ToList(),
            summary.SessionId,
            summary.Envelope,
            summary.ReceivedChain,
            summary.Warnings,
            summary.Snippet,
            summary.HasHtml,
            summary.HasText,
            summary.Envelope.Listener,
            summary.Envelope.Tls,
            summary.Envelope.MailFrom,
            summary.Envelope.RcptTo,
            summary.Checks is null ? null : FindingCountsDto.From(summary.Checks.Counts),
            Compat.ListUnsubscribeParser.Parse(Header("List-Unsubscribe"), Header("List-Unsubscribe-Post"))));
    }

    /// <summary>Looks a message up by ID; "latest" means the newest (Mailpit).</summary>
    internal static Task<MessageSummary?> ResolveAsync(string id, IMailStore store, CancellationToken cancellationToken) =>
        ResolveAsync(id, null, store, cancellationToken);

    /// <summary>
    /// Like <see cref="ResolveAsync(string, IMailStore, CancellationToken)"/>; with a search <paramref name="query"/>,
    /// "latest" means the newest message matching it (Mailpit's LatestID). A query it cannot parse is a 400.
    /// </summary>
    internal static async Task<MessageSummary?> ResolveAsync(string id, string? query, IMailStore store, CancellationToken cancellationToken)
    {
        if (!id.Equals("latest", StringComparison.OrdinalIgnoreCase))
        {
            return await store.GetMessageAsync(id, cancellationToken);
        }

        if (string.IsNullOrWhiteSpace(query))
        {
            return await store.GetLatestAsync(cancellationToken);
        }

        var parsed = SearchApi.TryParse(query, out _)
            ?? throw new BadHttpRequestException($"The query '{query}' of 'latest' is not a search MailSink understands.", StatusCodes.Status400BadRequest);
        var page = await store.ListMessagesAsync(0, 1, parsed.Matches, cancellationToken);
        return page.Items.Count > 0 ? page.Items[0] : null;
    }

    internal static async Task<Results<OkText, ProblemHttpResult>> SetReadAsync(HttpRequest request, IMailStore store, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync<SetReadRequest>(request, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var read = body.Value?.Read ?? true;
        IReadOnlyCollection<string>? ids = body.Value?.IDs is { Count: > 0 } given ? given.ToList() : null;
        if (ids is null && !string.IsNullOrWhiteSpace(body.Value?.Search))
        {
            var query = SearchApi.TryParse(body.Value.Search, request.Query["tz"], out var searchProblem);
            if (query is null)
            {
                return searchProblem!;
            }

            ids = await SearchApi.AllMatchingIdsAsync(store, query, cancellationToken);
        }

        await store.SetReadAsync(ids, read, cancellationToken);
        return OkText.Instance;
    }

    internal static async Task<Results<OkText, ProblemHttpResult>> DeleteAsync(HttpRequest request, IMailStore store, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync<DeleteRequest>(request, cancellationToken);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        // Mailpit and MailHog: no IDs means delete everything.
        IReadOnlyCollection<string>? ids = body.Value?.IDs is { Count: > 0 } given ? given.ToList() : null;
        await store.DeleteMessagesAsync(ids, cancellationToken);
        return OkText.Instance;
    }

    internal static async Task<Results<OkText, ProblemHttpResult>> DeleteOneAsync(string id, IMailStore store, CancellationToken cancellationToken)
    {
        var summary = await ResolveAsync(id, store, cancellationToken);
        if (summary is null)
        {
            return ApiProblems.NotFound("Message", id);
        }

        await store.DeleteMessagesAsync([summary.Id], cancellationToken);
        return OkText.Instance;
    }

    /// <summary>Reads an optional JSON body; an empty body is null, malformed JSON is a 400.</summary>
    private static async Task<(T? Value, ProblemHttpResult? Problem)> ReadBodyAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length == 0 || buffer.ToArray().All(b => b is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t'))
        {
            return (null, null);
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.ToArray(), BodyJson);
            return (value, null);
        }
        catch (JsonException ex)
        {
            return (null, ApiProblems.BadParameter("body", $"The request body is not the expected JSON: {ex.Message}"));
        }
    }

    // Clients send "IDs", "ids" or "Ids": MailHog's and Mailpit's clients differ in case.
    private static readonly JsonSerializerOptions BodyJson = new() { PropertyNameCaseInsensitive = true };
}
