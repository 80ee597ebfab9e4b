using LiteDB;
using MailSink.Domain;

namespace MailSink.Storage;

/// <summary>Converts domain objects to stored documents (adding the derived index keys) and back.</summary>
internal sealed class MailDocuments(BsonMapper mapper)
{
    public BsonMapper Mapper => mapper;

    /// <summary>This store's zstd dictionaries (loaded by <see cref="MailDatabase"/> when its engine opens).</summary>
    public CompressionDictionaries Dictionaries { get; } = new();

    public BsonDocument ToDocument(MessageSummary summary)
    {
        var doc = mapper.ToDocument(summary);
        doc[StoreKeys.SortKey] = StoreKeys.SortKeyOf(summary.ReceivedAt, summary.Id);
        doc[SubjectWords.Field] = SubjectWords.Of(summary.Subject);
        PackView(doc);
        OmitDefaults(doc);
        return doc;
    }

    /// <summary>
    /// Leaves out the top-level fields at their defaults (empty Cc, Bcc, Reply-To, attachment and inline lists, false
    /// flags, zero transcript lines): tens of bytes of most summaries, and a missing field maps back to the same
    /// default. Read stays, whatever its value (the unread count and its index query <c>$.Read = false</c>), and so do
    /// Tags (the tag queries read the field).
    /// </summary>
    private static void OmitDefaults(BsonDocument doc)
    {
        List<string>? defaults = null;
        foreach (var (key, value) in doc)
        {
            // Only the summary's own fields: the derived index keys (x_...) stay as they are.
            if (key != nameof(MessageSummary.Read) && key != nameof(MessageSummary.Tags) && !key.StartsWith("x_", StringComparison.Ordinal)
                && ((value.IsArray && value.AsArray.Count == 0) || (value.IsBoolean && !value.AsBoolean) || (value.IsInt32 && value.AsInt32 == 0)))
            {
                (defaults ??= []).Add(key);
            }
        }

        foreach (var key in defaults ?? [])
        {
            doc.Remove(key);
        }
    }

    public MessageSummary ToSummary(BsonDocument doc)
    {
        UnpackView(doc);
        UnpackSearchText(doc);
        return mapper.ToObject<MessageSummary>(doc);
    }

    /// <summary>The fields packed into <see cref="ViewField"/>: no LiteDB query reads them, only C# after mapping.</summary>
    private static readonly string[] PackedFields =
    [
        nameof(MessageSummary.SearchText), nameof(MessageSummary.ReceivedChain), nameof(MessageSummary.Warnings),
        nameof(MessageSummary.Checks), nameof(MessageSummary.Snippet),
    ];

    private const string ViewField = "x_view";
    private const string ViewLengthField = "x_vl";
    private const string ViewDictionaryField = "x_vd";

    /// <summary>
    /// The search text, Received chain, warnings, checks and snippet, as one zstd-compressed BSON document: together
    /// they were most of a summary, and compressed one by one (only the search text was) they still left the file
    /// 1.59x the raw mail at a million messages (issue 12 wants 1.2x). The checks alone were ~2.3 KB of a 5 KB
    /// message's 3.8 KB summary, and LiteDB gives a document of over 30% of a page a page of its own (10,000 summaries
    /// took 10,000 pages). One frame compresses what they repeat (the addresses and hosts of the chain and the
    /// checks). Summaries written before are read as they are.
    /// </summary>
    private void PackView(BsonDocument doc)
    {
        var view = new BsonDocument();
        foreach (var field in PackedFields)
        {
            if (doc.TryGetValue(field, out var value))
            {
                view[field] = value;
                doc.Remove(field);
            }
        }

        var bytes = BsonSerializer.Serialize(view);
        if (Dictionaries.View is { } dictionary && bytes.Length <= CompressionDictionaries.MaxInput)
        {
            doc[ViewField] = dictionary.Compress(bytes);
            doc[ViewLengthField] = bytes.Length;
            doc[ViewDictionaryField] = dictionary.Id;
            return;
        }

        var (stored, length) = RawCompression.Pack(bytes);
        doc[ViewField] = stored;
        if (length > 0)
        {
            doc[ViewLengthField] = length;
        }
    }

    /// <summary>The packed view fields of a stored summary as one BSON document's bytes, or null when it has none.</summary>
    public byte[]? ViewBytes(BsonDocument doc)
    {
        if (!doc.TryGetValue(ViewField, out var packed) || !packed.IsBinary)
        {
            return null;
        }

        return !doc.TryGetValue(ViewLengthField, out var length) ? packed.AsBinary
            : doc.TryGetValue(ViewDictionaryField, out var dictionary) ? Dictionaries.Get(dictionary.AsInt32).Decompress(packed.AsBinary, length.AsInt32)
            : RawCompression.Unpack(packed.AsBinary, length.AsInt32);
    }

    private void UnpackView(BsonDocument doc)
    {
        if (ViewBytes(doc) is not { } bytes)
        {
            return;
        }

        foreach (var (key, value) in BsonSerializer.Deserialize(bytes))
        {
            doc[key] = value;
        }

        doc.Remove(ViewField);
        doc.Remove(ViewLengthField);
        doc.Remove(ViewDictionaryField);
    }

    /// <summary>
    /// Summaries written between the search-text compression and <see cref="PackView"/> hold the search text alone
    /// zstd-compressed (with its length in <see cref="StoreKeys.SearchTextLength"/>); older ones hold it as a string.
    /// </summary>
    private static void UnpackSearchText(BsonDocument doc)
    {
        if (doc.TryGetValue(SearchTextField, out var text) && text.IsBinary && doc.TryGetValue(StoreKeys.SearchTextLength, out var length))
        {
            doc[SearchTextField] = System.Text.Encoding.UTF8.GetString(RawCompression.Unpack(text.AsBinary, length.AsInt32));
        }
    }

    private const string SearchTextField = nameof(MessageSummary.SearchText);

    public static BsonDocument ToDocument(SessionRecord session)
    {
        var doc = SessionDocuments.ToDocument(session);
        doc[StoreKeys.SortKey] = StoreKeys.SortKeyOf(session.StartedAt, session.Id);
        doc[StoreKeys.LineCount] = session.Lines.Count;
        return doc;
    }

    public SessionRecord ToSession(BsonDocument doc) => mapper.ToObject<SessionRecord>(doc);

    /// <summary>Maps a session without its transcript: the lines are dropped before mapping.</summary>
    public SessionSummary ToSessionSummary(BsonDocument doc)
    {
        var lineCount = doc.TryGetValue(StoreKeys.LineCount, out var lc) ? lc.AsInt32 : 0;
        doc.Remove(nameof(SessionRecord.Lines));
        return SessionSummary.From(mapper.ToObject<SessionRecord>(doc)) with { LineCount = lineCount };
    }
}
