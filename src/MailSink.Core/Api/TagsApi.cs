using System.Text.Json;
using MailSink.Domain;
using MailSink.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api;

/// <summary>
/// /api/v1/tags (Mailpit): list, set on messages, rename and delete. Names are cleaned with Mailpit's rules
/// (<see cref="TagNames"/>); every message whose tags change is pushed to open inboxes as an update.
/// </summary>
internal static class TagsApi
{
    // Mailpit's clients send "IDs" and "Tags"; other spellings are accepted as the messages routes do.
    private static readonly JsonSerializerOptions BodyJson = new() { PropertyNameCaseInsensitive = true };

    internal static async Task<Ok<List<string>>> ListAsync(TagCounts tags, CancellationToken cancellationToken) =>
        TypedResults.Ok((await tags.GetAsync(cancellationToken)).Keys.ToList());

    internal static async Task<Results<OkText, ProblemHttpResult>> SetAsync(HttpRequest request, IMailStore store, CancellationToken cancellationToken)
    {
        var (body, problem) = await ReadBodyAsync<SetTagsRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (body?.IDs is { Count: > 0 } ids)
        {
            // Mailpit drops names that are empty once cleaned; an empty Tags array clears the tags.
            await store.SetTagsAsync(ids.ToList(), TagNames.Normalize(body.Tags ?? []), cancellationToken);
        }

        return OkText.Instance;
    }

    internal static async Task<Results<OkText, ProblemHttpResult>> RenameAsync(
        string tag, HttpRequest request, IMailStore store, CancellationToken cancellationToken)
    {
        var (body, problem) = await ReadBodyAsync<RenameTagRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var name = TagNames.Clean(body?.Name);
        if (name.Length == 0)
        {
            return ApiProblems.BadParameter("Name", $"\"{body?.Name}\" is not a usable tag name: use 1-{TagNames.MaxLength} letters, digits, spaces, '-', '_', '.' or '@'.");
        }

        if (name == tag)
        {
            return OkText.Instance;
        }

        var existing = await store.GetTagCountsAsync(cancellationToken);
        if (!existing.ContainsKey(tag))
        {
            return TagNotFound(tag);
        }

        if (existing.ContainsKey(name))
        {
            // As Mailpit: a rename never merges two tags silently.
            return ApiProblems.BadParameter("Name", $"The tag \"{name}\" already exists; delete one of the two tags or choose another name.");
        }

        await store.RenameTagAsync(tag, name, cancellationToken);
        return OkText.Instance;
    }

    internal static async Task<Results<OkText, ProblemHttpResult>> DeleteAsync(string tag, IMailStore store, CancellationToken cancellationToken)
    {
        return await store.DeleteTagAsync(tag, cancellationToken) == 0 ? TagNotFound(tag) : OkText.Instance;
    }

    private static ProblemHttpResult TagNotFound(string tag) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Tag not found",
            detail: $"No message has the tag \"{tag}\" (names are matched exactly, case included). GET /api/v1/tags lists the tags in use.");

    private static async Task<(T? Value, ProblemHttpResult? Problem)> ReadBodyAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return (await JsonSerializer.DeserializeAsync<T>(request.Body, BodyJson, cancellationToken), null);
        }
        catch (JsonException ex)
        {
            return (null, ApiProblems.BadParameter("body", $"The request body is not the expected JSON: {ex.Message}"));
        }
    }
}

/// <summary>Body of PUT /api/v1/tags (Mailpit "SetTagsParams").</summary>
internal sealed record SetTagsRequest(IReadOnlyList<string>? IDs, IReadOnlyList<string?>? Tags);

/// <summary>Body of PUT /api/v1/tags/{Tag} (Mailpit "RenameTagParams").</summary>
internal sealed record RenameTagRequest(string? Name);
