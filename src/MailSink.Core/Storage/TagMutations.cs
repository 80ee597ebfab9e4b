using LiteDB;
using MailSink.Domain;

namespace MailSink.Storage;

/// <summary>
/// Tag changes the writer applies inside the batch transaction. Each message whose tags change is announced
/// with a <see cref="MessageUpdated"/> carrying its new tags, so open inboxes update without refetching.
/// </summary>
internal static class TagMutations
{
    private const string TagsField = nameof(MessageSummary.Tags);

    /// <summary>Replaces the tags of the given messages; returns how many exist.</summary>
    public static int Set(WriteContext context, IReadOnlyCollection<string> ids, IReadOnlyList<string> tags, List<MailboxEvent> events)
    {
        var changed = 0;
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            if (context.Database.Messages.FindById(id) is { } doc)
            {
                Write(context, doc, tags, events);
                changed++;
            }
        }

        return changed;
    }

    /// <summary>Adds tags to one message, keeping the ones it has (a fault rule's tag on top of X-Tags); 1 if it exists.</summary>
    public static int Add(WriteContext context, string id, IReadOnlyList<string> tags, List<MailboxEvent> events)
    {
        if (context.Database.Messages.FindById(id) is not { } doc)
        {
            return 0;
        }

        var merged = TagNames.Normalize(TagsOf(doc).Concat(tags));
        if (!merged.SequenceEqual(TagsOf(doc), StringComparer.Ordinal))
        {
            Write(context, doc, merged, events);
        }

        return 1;
    }

    /// <summary>Renames <paramref name="from"/> (exact spelling) on every message carrying it; returns how many did.</summary>
    public static int Rename(WriteContext context, string from, string to, List<MailboxEvent> events) =>
        Rewrite(context, from, tags => TagNames.Normalize(tags.Select(t => t == from ? to : t)), events);

    /// <summary>Removes <paramref name="tag"/> (exact spelling) from every message carrying it; returns how many did.</summary>
    public static int Delete(WriteContext context, string tag, List<MailboxEvent> events) =>
        Rewrite(context, tag, tags => tags.Where(t => t != tag).ToList(), events);

    /// <summary>
    /// Every tag in use with the number of messages carrying it, read from the tagged messages only: the tags index
    /// finds them (every tag name sorts at or after ""; untagged messages have no key there). A predicate on the
    /// documents (<c>COUNT($.Tags) > 0</c>) read every summary in one snapshot, and LiteDB's cache, which keeps
    /// every page a query holds and never shrinks, grew by 96 MB on the first /api/v1/messages after 10,000 untagged
    /// messages (issue 12, bench/memory.sh).
    /// </summary>
    public static SortedDictionary<string, int> Counts(MailDatabase database)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var tagged = database.Messages.Find(Tagged());
        foreach (var doc in tagged)
        {
            foreach (var tag in doc[TagsField].AsArray)
            {
                counts[tag.AsString] = counts.GetValueOrDefault(tag.AsString) + 1;
            }
        }

        return counts;
    }

    /// <summary>The messages with at least one tag, as a predicate the tags index answers.</summary>
    internal static BsonExpression Tagged() => BsonExpression.Create($"{StoreKeys.TagsExpression} ANY >= @0", new BsonValue(""));

    private static int Rewrite(WriteContext context, string tag, Func<List<string>, List<string>> change, List<MailboxEvent> events)
    {
        // The index compares with the database's collation, which ignores case; names are matched exactly (as Mailpit's).
        var carrying = context.Database.Messages.Find(BsonExpression.Create($"{StoreKeys.TagsExpression} ANY = @0", new BsonValue(tag)))
            .Where(doc => TagsOf(doc).Contains(tag, StringComparer.Ordinal))
            .ToList();
        foreach (var doc in carrying)
        {
            Write(context, doc, change(TagsOf(doc)), events);
        }

        return carrying.Count;
    }

    private static void Write(WriteContext context, BsonDocument doc, IReadOnlyList<string> tags, List<MailboxEvent> events)
    {
        doc[TagsField] = new BsonArray(tags.Select(t => new BsonValue(t)));
        context.Database.Messages.Update(doc);
        events.Add(new MessageUpdated(doc["_id"].AsString, doc["Read"].AsBoolean, tags.ToArray()));
    }

    private static List<string> TagsOf(BsonDocument doc) =>
        doc.TryGetValue(TagsField, out var tags) && tags.IsArray ? tags.AsArray.Select(t => t.AsString).ToList() : [];
}
