using LiteDB;
using MailSink.Domain;
using MailSink.Search;

namespace MailSink.Storage;

/// <summary>
/// The stored fields a search's filter reads: what the query's terms look at, plus the id, the time and the read
/// state (the search API tallies unread matches, /api/v1/wait admits by id and time). Candidates of the subject-word
/// index are read with only these (LiteDB then skips every other field of the document, the packed view above all)
/// and mapped into a summary that holds only them: at a million messages reading and mapping whole documents was
/// ~40 µs a candidate, over 1 s for a word in 2.7% of subjects.
/// </summary>
internal static class SearchProjection
{
    private static readonly string[] Always =
        ["_id", StoreKeys.SortKey, nameof(MessageSummary.ReceivedAt), nameof(MessageSummary.Read), nameof(MessageSummary.Subject)];

    /// <summary>
    /// The projection for <paramref name="query"/>'s candidates, or null when a term reads the search text (plain
    /// words): that lives in the packed view, so those candidates are read whole.
    /// </summary>
    public static BsonExpression? For(SearchQuery query)
    {
        var fields = new List<string>(Always);
        foreach (var term in query.Terms)
        {
            if (FieldsOf(term.Field) is not { } termFields)
            {
                return null;
            }

            foreach (var field in termFields)
            {
                if (!fields.Contains(field, StringComparer.Ordinal))
                {
                    fields.Add(field);
                }
            }
        }

        return BsonExpression.Create("{" + string.Join(", ", fields.Select(f => $"{f}: $.{f}")) + "}");
    }

    /// <summary>
    /// A summary holding only the projected fields. Fields the document lacks come back null from the projection and
    /// are left at their defaults (empty lists), as mapping the whole document would. The fields of the common
    /// projections (<c>subject:</c>, <c>is:</c>, dates, sizes, tags, Message-ID) are set here; a projection with any
    /// other field (addresses, attachments) goes through the mapper, whose reflection was 11% of a warm
    /// <c>subject:quarterly</c> at a million messages.
    /// </summary>
    public static MessageSummary ToSummary(BsonMapper mapper, BsonDocument projected)
    {
        var summary = new MessageSummary();
        foreach (var (key, value) in projected)
        {
            if (!value.IsNull && !TrySet(summary, key, value))
            {
                return ByMapper(mapper, projected);
            }
        }

        return summary;
    }

    /// <summary>
    /// Sets one projected field as the mapper would (<c>SearchProjectionTests</c> compares the two); false for a field
    /// or a stored type not handled here.
    /// </summary>
    private static bool TrySet(MessageSummary summary, string key, BsonValue value)
    {
        switch (key)
        {
            case StoreKeys.SortKey:
                return true;
            case "_id" when value.IsString:
                summary.Id = value.AsString;
                return true;
            case nameof(MessageSummary.ReceivedAt) when value.IsDocument:
                summary.ReceivedAt = StoreMapper.FromBson(value);
                return true;
            case nameof(MessageSummary.Read) when value.IsBoolean:
                summary.Read = value.AsBoolean;
                return true;
            case nameof(MessageSummary.Subject) when value.IsString:
                summary.Subject = value.AsString;
                return true;
            case nameof(MessageSummary.MessageId) when value.IsString:
                summary.MessageId = value.AsString;
                return true;
            case nameof(MessageSummary.Size) when value.IsInt32 || value.IsInt64:
                summary.Size = value.AsInt64;
                return true;
            case nameof(MessageSummary.Tags) when value.IsArray && value.AsArray.All(tag => tag.IsString):
                summary.Tags = value.AsArray.Select(tag => tag.AsString).ToList();
                return true;
            default:
                return false;
        }
    }

    private static MessageSummary ByMapper(BsonMapper mapper, BsonDocument projected)
    {
        List<string>? nulls = null;
        foreach (var (key, value) in projected)
        {
            if (value.IsNull)
            {
                (nulls ??= []).Add(key);
            }
        }

        foreach (var key in nulls ?? [])
        {
            projected.Remove(key);
        }

        return mapper.ToObject<MessageSummary>(projected);
    }

    /// <summary>
    /// What <see cref="SearchTermMatcher"/> reads for each field (keep the two in step), or null for the search text
    /// and any field not listed here: their candidates are read whole, slower but never wrong.
    /// </summary>
    private static string[]? FieldsOf(SearchField field) => field switch
    {
        SearchField.Subject or SearchField.IsRead or SearchField.IsUnread or SearchField.Before or SearchField.After => [],
        SearchField.From => [nameof(MessageSummary.From), nameof(MessageSummary.Envelope)],
        SearchField.To => [nameof(MessageSummary.To), nameof(MessageSummary.Cc), nameof(MessageSummary.Bcc), nameof(MessageSummary.Envelope)],
        SearchField.Cc => [nameof(MessageSummary.Cc)],
        SearchField.Bcc => [nameof(MessageSummary.Bcc)],
        SearchField.ReplyTo => [nameof(MessageSummary.ReplyTo)],
        SearchField.Addressed =>
        [
            nameof(MessageSummary.From), nameof(MessageSummary.To), nameof(MessageSummary.Cc), nameof(MessageSummary.Bcc),
            nameof(MessageSummary.ReplyTo), nameof(MessageSummary.Envelope),
        ],
        SearchField.MessageId => [nameof(MessageSummary.MessageId)],
        SearchField.IsTagged or SearchField.Tag => [nameof(MessageSummary.Tags)],
        SearchField.HasAttachment => [nameof(MessageSummary.Attachments)],
        SearchField.HasInline => [nameof(MessageSummary.Inlines)],
        SearchField.Larger or SearchField.Smaller => [nameof(MessageSummary.Size)],
        _ => null,
    };
}
