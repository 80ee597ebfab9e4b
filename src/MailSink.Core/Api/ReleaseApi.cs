using System.Text.Json;
using MailSink.Realtime;
using MailSink.Relay;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api;

/// <summary>
/// Mailpit's POST /api/v1/message/{ID}/release: {"To":[...]} through the configured relay (Relay:Host), answered
/// "ok" as Mailpit does. The message goes as it was received (Mailpit rewrites Date and Message-ID; MailSink does not).
/// </summary>
internal static class ReleaseApi
{
    internal static async Task<Results<OkText, ProblemHttpResult>> ReleaseAsync(
        string id, HttpRequest request, RelayTargets targets, MessageReleaser releaser, HubOriginPolicy origins, Storage.IMailStore store, CancellationToken cancellationToken)
    {
        if (ReleaseProblems.CheckOrigin(request, origins) is { } forbidden)
        {
            return forbidden;
        }

        var summary = await MessagesApi.ResolveAsync(id, store, cancellationToken);
        if (summary is null)
        {
            return ApiProblems.NotFound("Message", id);
        }

        List<string> to;
        try
        {
            var body = await JsonSerializer.DeserializeAsync<ReleaseRequest>(request.Body, BodyJson, cancellationToken);
            to = body?.To?.Where(t => !string.IsNullOrWhiteSpace(t)).ToList() ?? [];
        }
        catch (JsonException ex)
        {
            return ApiProblems.BadParameter("body", $"The request body must be JSON such as {{\"To\":[\"ann@example.com\"]}}: {ex.Message}");
        }

        if (targets.Default is not { } relay)
        {
            return ReleaseProblems.NotConfigured();
        }

        try
        {
            var result = await releaser.ReleaseAsync(summary.Id, relay, to, cancellationToken);
            return result is null ? ApiProblems.NotFound("Message", id) : OkText.Instance;
        }
        catch (ReleaseRefusedException ex)
        {
            return ReleaseProblems.Refused(ex);
        }
        catch (RelayException ex)
        {
            return ReleaseProblems.RelayFailed(ex);
        }
    }

    private static readonly JsonSerializerOptions BodyJson = new() { PropertyNameCaseInsensitive = true };

    private sealed record ReleaseRequest(List<string>? To);
}
