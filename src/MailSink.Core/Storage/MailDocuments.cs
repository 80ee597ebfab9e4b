using LiteDB;
using MailSink.Domain;

namespace MailSink.Storage;

/// <summary>Converts domain objects to stored documents (adding the derived index keys) and back.</summary>
internal sealed class MailDocuments(BsonMapper mapper)
{
    public BsonMapper Mapper => mapper;

    public BsonDocument ToDocument(MessageSummary summary)
    {
        var doc = mapper.ToDocument(summary);
        doc[StoreKeys.SortKey] = StoreKeys.SortKeyOf(summary.ReceivedAt, summary.Id);
        doc[SubjectWords.Field] = SubjectWords.Of(summary.Subject);
        PackSearchText(doc);
        PackChecks(doc);
        return doc;
    }

    public MessageSummary ToSummary(BsonDocument doc)
    {
        UnpackSearchText(doc);
        UnpackChecks(doc);
        return mapper.ToObject<MessageSummary>(doc);
    }

    /// <summary>
    /// A summary without the search text and what only the message view shows (Received chain, warnings, checks,
    /// snippet): what every search term but a plain word reads. The document is left as it was.
    /// </summary>
    public MessageSummary ToSearchableSummary(BsonDocument doc)
    {
        var light = new BsonDocument();
        foreach (var (key, value) in doc)
        {
            if (!ViewOnlyFields.Contains(key))
            {
                light[key] = value;
            }
        }

        return mapper.ToObject<MessageSummary>(light);
    }

    private static readonly HashSet<string> ViewOnlyFields = new(StringComparer.OrdinalIgnoreCase)
    {
        nameof(MessageSummary.SearchText), nameof(MessageSummary.ReceivedChain), nameof(MessageSummary.Warnings),
        nameof(MessageSummary.Checks), nameof(MessageSummary.Snippet), StoreKeys.SearchTextLength, SubjectWords.Field,
        StoreKeys.ChecksLength,
    };

    /// <summary>
    /// The search text (subject, addresses and the whole body, lower-cased) is most of a summary. Stored as text,
    /// a 3 KB message's summary was ~4 KB: over half a LiteDB page, so each took a page of its own and the file was
    /// 3.25x the raw mail (million timer). zstd-compressed like raw bodies it is a third of that.
    /// Summaries written before this hold the text as a string and are read as they are.
    /// </summary>
    private static void PackSearchText(BsonDocument doc)
    {
        if (doc.TryGetValue(SearchTextField, out var text) && text.IsString)
        {
            var (stored, length) = RawCompression.Pack(System.Text.Encoding.UTF8.GetBytes(text.AsString));
            if (length > 0)
            {
                doc[SearchTextField] = stored;
                doc[StoreKeys.SearchTextLength] = length;
            }
        }
    }

    private static void UnpackSearchText(BsonDocument doc)
    {
        if (doc.TryGetValue(SearchTextField, out var text) && text.IsBinary && doc.TryGetValue(StoreKeys.SearchTextLength, out var length))
        {
            doc[SearchTextField] = System.Text.Encoding.UTF8.GetString(RawCompression.Unpack(text.AsBinary, length.AsInt32));
        }
    }

    private const string SearchTextField = nameof(MessageSummary.SearchText);

    /// <summary>
    /// The deliverability checks (DKIM, SPF, DMARC, header findings) are ~2.3 KB of repetitive text in every summary,
    /// which made a 5 KB message's summary 3.8 KB: LiteDB only puts a document of more than 30% of a page into a page
    /// with 60% free, so each summary took a page of its own (10,000 summaries: 10,000 pages, 78 MB; issue 12,
    /// bench/memory.sh and `million pages`). Stored as zstd-compressed BSON they are ~0.5 KB and three summaries share
    /// a page. Only the message view and the checks read them; summaries written before hold a document and are read
    /// as they are.
    /// </summary>
    private static void PackChecks(BsonDocument doc)
    {
        if (doc.TryGetValue(ChecksField, out var checks) && checks.IsDocument)
        {
            var (stored, length) = RawCompression.Pack(BsonSerializer.Serialize(checks.AsDocument));
            if (length > 0)
            {
                doc[ChecksField] = stored;
                doc[StoreKeys.ChecksLength] = length;
            }
        }
    }

    private static void UnpackChecks(BsonDocument doc)
    {
        if (doc.TryGetValue(ChecksField, out var checks) && checks.IsBinary && doc.TryGetValue(StoreKeys.ChecksLength, out var length))
        {
            doc[ChecksField] = BsonSerializer.Deserialize(RawCompression.Unpack(checks.AsBinary, length.AsInt32));
        }
    }

    private const string ChecksField = nameof(MessageSummary.Checks);

    public BsonDocument ToDocument(SessionRecord session)
    {
        var doc = mapper.ToDocument(session);
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
