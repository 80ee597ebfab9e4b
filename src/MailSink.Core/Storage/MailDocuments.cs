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
        return doc;
    }

    public MessageSummary ToSummary(BsonDocument doc) => mapper.ToObject<MessageSummary>(doc);

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
