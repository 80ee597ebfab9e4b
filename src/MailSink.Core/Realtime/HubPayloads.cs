using System.Text.Json.Serialization;

namespace MailSink.Realtime;

// messageReceived and sessionClosed send the API's own DTOs (Api/MessageDtos.cs, Api/SessionDtos.cs), so the
// hub and GET /api/v1/messages can never drift apart. Only the two small payloads the contract writes in
// camelCase live here; their names are pinned so the hub's serializer settings cannot change them.

/// <summary>messageUpdated: {id, read, tags}.</summary>
internal sealed record HubMessageUpdate(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("read")] bool Read,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags);

/// <summary>stats: {total, unread}.</summary>
internal sealed record HubStats(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("unread")] int Unread);
