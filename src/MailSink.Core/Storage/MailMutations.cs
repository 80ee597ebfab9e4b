using LiteDB;
using MailSink.Domain;

namespace MailSink.Storage;

/// <summary>
/// The changes the writer applies, each inside the current batch transaction. Synchronous by
/// design (LiteDB's locks are thread-bound); they record count deltas and events on the context.
/// </summary>
internal static class MailMutations
{
    public static void AddMessage(WriteContext context, MessageSummary summary, byte[] raw) => Add(context, summary, raw, raw.Length, null);

    /// <summary>
    /// Stores a message whose <paramref name="length"/> raw bytes are kept outside LiteDB (<see cref="LargeRaws"/>):
    /// written already, or <paramref name="kept"/> to hand over once committed.
    /// </summary>
    public static void AddMessageInFile(WriteContext context, MessageSummary summary, int length, byte[]? kept) => Add(context, summary, null, length, kept);

    private static void Add(WriteContext context, MessageSummary summary, byte[]? raw, int length, byte[]? kept)
    {
        var db = context.Database;
        var previous = db.MessageIds.IsAbove(db.Db, db.Messages, summary.Id) ? null : db.Messages.FindById(summary.Id);
        if (previous is null)
        {
            context.TotalDelta++;
        }
        else if (!previous["Read"].AsBoolean)
        {
            // Replacing a stored message (same id): its unread count is re-added below.
            context.UnreadDelta--;
        }

        if (previous is not null)
        {
            context.RemovedTicks.Add(SortKeyRanks.TicksOf(previous[StoreKeys.SortKey].AsString));
        }

        context.AddedTicks.Add(summary.ReceivedAt.UtcTicks);

        if (!summary.Read)
        {
            context.UnreadDelta++;
        }

        // A new id (every SMTP message) is inserted outright: Upsert tries an update first, and there is no old raw
        // to delete. Only a replaced id pays for both (issue 12 profile: Upsert was 7% of the writer's CPU).
        var document = db.Documents.ToDocument(summary);
        SubjectWords.Record(context, document[SubjectWords.Field].AsArray);
        if (previous is null)
        {
            db.Messages.Insert(document);
            db.MessageIds.Inserted(db.Db, summary.Id);
        }
        else
        {
            db.Messages.Update(document);
            RawChunks.Delete(db.Raw, summary.Id);
            if (raw is not null && db.Files.Has(summary.Id))
            {
                context.FilesRemoved.Add(summary.Id);
            }
        }

        if (raw is null)
        {
            RawChunks.InsertFileMarker(db.Raw, summary.Id, length);
            context.FilesAdded.Add((summary.Id, length, kept));
        }
        else
        {
            RawChunks.Insert(db.Raw, summary.Id, raw, db.Documents.Dictionaries);
        }
    }

    public static void SaveSession(WriteContext context, SessionRecord session)
    {
        // A session's first save (with its first message, or at its close) is usually of an id above every stored
        // one: inserted outright, without Upsert's lookup of the id it would update (IdCeiling).
        var db = context.Database;
        var document = MailDocuments.ToDocument(session);
        if (db.SessionIds.IsAbove(db.Db, db.Sessions, session.Id))
        {
            db.Sessions.Insert(document);
            db.SessionIds.Inserted(db.Db, session.Id);
            context.SessionsDelta++;
        }
        else if (db.Sessions.Upsert(document))
        {
            context.SessionsDelta++;
        }
    }

    /// <summary>
    /// Sessions still "open" in the file when the store opens were cut by a kill or a crash: they were saved with a
    /// message and never got their final save. Closing them says so instead of showing them live forever.
    /// </summary>
    public static int CloseInterruptedSessions(WriteContext context)
    {
        var db = context.Database;
        var open = db.Sessions.Find(Query.EQ(nameof(SessionRecord.Outcome), nameof(SessionOutcome.Open))).ToList();
        foreach (var doc in open)
        {
            var session = db.Documents.ToSession(doc);
            var last = session.Lines.Count > 0 ? session.Lines[^1].Time : session.StartedAt;
            session.Outcome = SessionOutcome.ServerError;
            session.Error = "MailSink stopped without closing this session (killed or crashed); the transcript ends with its last stored message";
            session.EndedAt = last;
            session.Lines.Add(new TranscriptLine { Time = last, Direction = TranscriptDirection.Event, Text = $"Session ended: {session.Error}" });
            db.Sessions.Update(MailDocuments.ToDocument(session));
        }

        return open.Count;
    }

    public static int SetRead(WriteContext context, IReadOnlyCollection<string>? ids, bool read, List<MailboxEvent> events)
    {
        var messages = context.Database.Messages;

        // Only documents whose state actually changes are touched and announced.
        var targets = ids is null
            ? messages.Query().Where("$.Read = @0", !read).ToDocuments().Select(d => d["_id"].AsString).ToList()
            : ids.Distinct(StringComparer.Ordinal).ToList();

        var changed = 0;
        foreach (var id in targets)
        {
            var doc = messages.FindById(id);
            if (doc is null || doc["Read"].AsBoolean == read)
            {
                continue;
            }

            doc["Read"] = read;
            messages.Update(doc);
            changed++;
            context.UnreadDelta += read ? -1 : 1;
            events.Add(new MessageUpdated(id, read, TagsOf(doc)));
        }

        return changed;
    }

    public static int DeleteAll(WriteContext context, List<MailboxEvent> events)
    {
        var db = context.Database;
        var count = db.Messages.DeleteAll();
        db.Raw.DeleteAll();
        db.Sessions.DeleteAll();

        // The files committed so far and those of this batch; a file written for a message still in the queue stays.
        context.FilesRemoved.AddRange(db.Files.CommittedIds());
        context.FilesRemoved.AddRange(context.FilesAdded.Select(f => f.Id));

        context.Recount = true;
        context.Compact = true;
        events.Add(new MessagesDeleted(null) { Count = count });
        return count;
    }

    public static int Delete(WriteContext context, IEnumerable<string> ids, List<MailboxEvent> events)
    {
        var deleted = DeleteMessages(context, ids);
        if (deleted.Count > 0)
        {
            events.Add(new MessagesDeleted(deleted));
        }

        return deleted.Count;
    }

    /// <summary>Deletes messages and their raw bytes; returns the ids that existed.</summary>
    public static List<string> DeleteMessages(WriteContext context, IEnumerable<string> ids)
    {
        var db = context.Database;
        var deleted = new List<string>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            var doc = db.Messages.FindById(id);
            if (doc is null)
            {
                continue;
            }

            db.Messages.Delete(id);
            RawChunks.Delete(db.Raw, id);
            if (db.Files.Has(id) || context.FilesAdded.Exists(f => f.Id == id))
            {
                context.FilesRemoved.Add(id);
            }

            context.TotalDelta--;
            context.RemovedTicks.Add(SortKeyRanks.TicksOf(doc[StoreKeys.SortKey].AsString));
            if (!doc["Read"].AsBoolean)
            {
                context.UnreadDelta--;
            }

            deleted.Add(id);
        }

        return deleted;
    }

    private static string[] TagsOf(BsonDocument doc) =>
        doc.TryGetValue("Tags", out var tags) && tags.IsArray ? tags.AsArray.Select(t => t.AsString).ToArray() : [];
}
