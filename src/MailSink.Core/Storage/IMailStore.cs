using MailSink.Domain;

namespace MailSink.Storage;

/// <summary>A page of results plus the count of everything that matched.</summary>
internal sealed record Page<T>(IReadOnlyList<T> Items, int Total);

/// <summary>Counts for the info endpoint and the UI badge.</summary>
internal sealed record StoreStats(int Total, int Unread, long DatabaseBytes, int Sessions)
{
    /// <summary>Why new mail is answered 451 right now (a full disk, a store being reopened), or null when it is stored.</summary>
    public string? WritesRefused { get; init; }
}

/// <summary>
/// The message and session store. The only door to LiteDB: nothing outside Storage/ references it.
/// Every change is published on <see cref="MailboxEvents"/> after it is committed.
/// </summary>
internal interface IMailStore
{
    /// <summary>
    /// Stores a message; completes only after the batch holding it is committed to disk,
    /// so the SMTP 250 can be sent. Throws <see cref="StoreUnavailableException"/> when it cannot.
    /// </summary>
    Task AddMessageAsync(MessageSummary summary, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken) =>
        AddMessageAsync(summary, raw, null, cancellationToken);

    /// <summary>
    /// Stores a message together with its session as recorded so far, in the same transaction, so a crash
    /// right after the 250 still leaves the transcript up to this message (the session's final save replaces it).
    /// </summary>
    Task AddMessageAsync(MessageSummary summary, ReadOnlyMemory<byte> raw, SessionRecord? session, CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="AddMessageAsync(MessageSummary, ReadOnlyMemory{byte}, SessionRecord?, CancellationToken)"/>, with
    /// <paramref name="raw"/> handed over: the caller never changes it again, so the store may keep it instead of a
    /// copy (the SMTP layer builds each message's array; a copy of a 25 MB message was a third of its peak, issue 12).
    /// </summary>
    Task AddOwnedMessageAsync(MessageSummary summary, byte[] raw, SessionRecord? session, CancellationToken cancellationToken) =>
        AddMessageAsync(summary, raw, session, cancellationToken);

    /// <summary>Inserts or replaces a session (called when it ends, and when a message of it is stored).</summary>
    Task SaveSessionAsync(SessionRecord session, CancellationToken cancellationToken);

    Task<MessageSummary?> GetMessageAsync(string id, CancellationToken cancellationToken);

    /// <summary>The newest message, or null when the store is empty.</summary>
    Task<MessageSummary?> GetLatestAsync(CancellationToken cancellationToken);

    Task<byte[]?> GetRawAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// The raw bytes as a seekable, read-only stream the caller disposes, or null when the message is gone. A store
    /// that keeps large messages in files hands out the file, so a view never holds the whole message in memory.
    /// </summary>
    async Task<Stream?> OpenRawAsync(string id, CancellationToken cancellationToken) =>
        await GetRawAsync(id, cancellationToken).ConfigureAwait(false) is { } raw ? new MemoryStream(raw, writable: false) : null;

    /// <summary>Newest first. With a filter, every summary is tested (no raw bytes are loaded).</summary>
    Task<Page<MessageSummary>> ListMessagesAsync(int start, int limit, Func<MessageSummary, bool>? filter, CancellationToken cancellationToken);

    /// <summary>
    /// As the filtered list, where <paramref name="filter"/> accepts only messages <paramref name="query"/> matches:
    /// the store may use the query to skip messages that cannot match (the subject-word index). The filter may read
    /// only the id, the received time, the read state and what the query's terms read: the LiteDB store tests its
    /// candidates on summaries holding just those (<see cref="SearchProjection"/>); the returned items are whole.
    /// </summary>
    Task<Page<MessageSummary>> ListMessagesAsync(int start, int limit, Search.SearchQuery query, Func<MessageSummary, bool> filter, CancellationToken cancellationToken) =>
        ListMessagesAsync(start, limit, filter, cancellationToken);

    /// <summary>Sets read state of the given ids, or of all messages when ids is null. Returns how many changed.</summary>
    Task<int> SetReadAsync(IReadOnlyCollection<string>? ids, bool read, CancellationToken cancellationToken);

    /// <summary>Replaces the tags of the given messages (already cleaned, see <see cref="TagNames"/>). Returns how many exist.</summary>
    Task<int> SetTagsAsync(IReadOnlyCollection<string> ids, IReadOnlyList<string> tags, CancellationToken cancellationToken);

    /// <summary>Adds tags to a message, keeping those it has. Returns 1 when it exists.</summary>
    Task<int> AddTagsAsync(string id, IReadOnlyList<string> tags, CancellationToken cancellationToken);

    /// <summary>Renames a tag (exact spelling) on every message carrying it. Returns how many did.</summary>
    Task<int> RenameTagAsync(string from, string to, CancellationToken cancellationToken);

    /// <summary>Removes a tag (exact spelling) from every message carrying it. Returns how many did.</summary>
    Task<int> DeleteTagAsync(string tag, CancellationToken cancellationToken);

    /// <summary>Every tag in use, sorted ordinally, with how many messages carry it.</summary>
    Task<IReadOnlyDictionary<string, int>> GetTagCountsAsync(CancellationToken cancellationToken);

    /// <summary>Deletes the given ids, or everything (messages and sessions) when ids is null. Returns how many messages went.</summary>
    Task<int> DeleteMessagesAsync(IReadOnlyCollection<string>? ids, CancellationToken cancellationToken);

    Task<SessionRecord?> GetSessionAsync(string id, CancellationToken cancellationToken);

    /// <summary>Newest first, without transcripts.</summary>
    Task<Page<SessionSummary>> ListSessionsAsync(int start, int limit, CancellationToken cancellationToken);

    Task<StoreStats> GetStatsAsync(CancellationToken cancellationToken);

    /// <summary>Deletes the oldest messages beyond the count limit and any older than the age limit, with their sessions.</summary>
    Task<int> PruneAsync(int maxMessages, TimeSpan? maxAge, CancellationToken cancellationToken);
}
