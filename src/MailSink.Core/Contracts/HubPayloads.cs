using System.Text.Json.Serialization;

namespace MailSink.Contracts;

// The hub's own payloads (Realtime/IInboxClient.cs). messageReceived, sessionClosed and faultsChanged send the
// API's DTOs beside them in this folder, so the hub and GET /api/v1/messages can never drift apart. These two
// are camelCase on the wire; their names are pinned so the hub's serializer settings cannot change them.

/// <summary>messageUpdated: {id, read, tags}.</summary>
internal sealed record HubMessageUpdate(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("read")] bool Read,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags);

/// <summary>stats: {total, unread}.</summary>
internal sealed record HubStats(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("unread")] int Unread);
