using LiteDB;
using MailSink.Domain;

namespace MailSink.Storage;

/// <summary>
/// A session record as the document <see cref="StoreMapper"/>'s BsonMapper makes of it, written out by hand: the writer
/// stores two snapshots of every SMTP session (one with its message, one at the close), and the mapper's reflection
/// and type dispatch for the record and its dozen transcript lines were 2.6% of the CPU under smtp-source (issue 12).
/// Field for field the mapper's output (<c>Id</c> as <c>_id</c>, enums by name, nulls left out, times as
/// <see cref="StoreMapper"/>'s <c>{ t, o }</c>), so documents read back through the mapper as before;
/// SessionDocumentsTests compares the two for every property.
/// </summary>
internal static class SessionDocuments
{
    public static BsonDocument ToDocument(SessionRecord session)
    {
        var doc = new BsonDocument
        {
            ["_id"] = session.Id,
            [nameof(SessionRecord.StartedAt)] = Time(session.StartedAt),
        };
        if (session.EndedAt is { } ended)
        {
            doc[nameof(SessionRecord.EndedAt)] = Time(ended);
        }

        doc[nameof(SessionRecord.Listener)] = session.Listener;
        doc[nameof(SessionRecord.ClientAddress)] = session.ClientAddress;
        doc[nameof(SessionRecord.ClientPort)] = session.ClientPort;
        doc[nameof(SessionRecord.ServerAddress)] = session.ServerAddress;
        doc[nameof(SessionRecord.ServerPort)] = session.ServerPort;
        doc[nameof(SessionRecord.Helo)] = session.Helo;
        if (session.Tls is { } tls)
        {
            doc[nameof(SessionRecord.Tls)] = new BsonDocument
            {
                [nameof(TlsInfo.Protocol)] = tls.Protocol,
                [nameof(TlsInfo.CipherSuite)] = tls.CipherSuite,
            };
        }

        if (session.AuthUser is { } user)
        {
            doc[nameof(SessionRecord.AuthUser)] = user;
        }

        doc[nameof(SessionRecord.FailedAuthAttempts)] = session.FailedAuthAttempts;
        doc[nameof(SessionRecord.Outcome)] = session.Outcome.ToString();
        if (session.Error is { } error)
        {
            doc[nameof(SessionRecord.Error)] = error;
        }

        doc[nameof(SessionRecord.MessageIds)] = Strings(session.MessageIds);
        doc[nameof(SessionRecord.Faults)] = Strings(session.Faults);
        doc[nameof(SessionRecord.Lines)] = Lines(session.Lines);
        doc[nameof(SessionRecord.ElidedLines)] = session.ElidedLines;
        doc[nameof(SessionRecord.ElidedAt)] = session.ElidedAt;
        return doc;
    }

    private static BsonArray Lines(List<TranscriptLine> lines)
    {
        var array = new BsonArray(new List<BsonValue>(lines.Count));
        foreach (var line in lines)
        {
            var doc = new BsonDocument
            {
                [nameof(TranscriptLine.Time)] = Time(line.Time),
                [nameof(TranscriptLine.Direction)] = line.Direction.ToString(),
                [nameof(TranscriptLine.Text)] = line.Text,
            };
            if (line.MessageId is { } id)
            {
                doc[nameof(TranscriptLine.MessageId)] = id;
            }

            array.Add(doc);
        }

        return array;
    }

    private static BsonArray Strings(List<string> values)
    {
        var array = new BsonArray(new List<BsonValue>(values.Count));
        foreach (var value in values)
        {
            array.Add(value);
        }

        return array;
    }

    /// <summary>What <see cref="StoreMapper"/> registers for <see cref="DateTimeOffset"/>: exact UTC ticks and the offset.</summary>
    private static BsonDocument Time(DateTimeOffset value) => StoreMapper.ToBson(value);
}
