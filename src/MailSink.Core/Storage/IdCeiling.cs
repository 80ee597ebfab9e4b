using LiteDB;

namespace MailSink.Storage;

/// <summary>
/// An id at or above the greatest id of a collection (messages or sessions) in the open engine, so the writer can tell
/// that a new id is not stored yet without looking it up. Ids from <see cref="Domain.MessageIdGenerator"/> grow with
/// time, so every message over SMTP or the API, and most sessions' first save, sort above the ceiling; the lookup
/// (a message's <c>FindById</c> was 3.9% of the CPU under smtp-source in issue 12's profile, most of it LiteDB's query
/// pipeline) is left for an id that could replace a stored document.
/// Writer only. It may only ever be too high (a rolled-back insert leaves it raised), which costs a lookup and is never
/// wrong; it is forgotten whenever the engine is (re)opened and read again from the <c>_id</c> index.
/// </summary>
internal sealed class IdCeiling
{
    private string? _ceiling;
    private bool _known;

    /// <summary>The greatest id is not a string (no store of ours writes one): every id is looked up.</summary>
    private bool _unusable;

    /// <summary>Whether <paramref name="id"/> sorts after every id the engine holds (in the engine's own collation).</summary>
    public bool IsAbove(LiteDatabase db, ILiteCollection<BsonDocument> collection, string id)
    {
        if (!_known)
        {
            // The _id index read backwards: one document, once per engine.
            var greatest = collection.Query().OrderByDescending("_id").Limit(1).ToDocuments().FirstOrDefault()?["_id"];
            _unusable = greatest is not null && !greatest.IsString;
            _ceiling = greatest is { IsString: true } ? greatest.AsString : null;
            _known = true;
        }

        return !_unusable && (_ceiling is null || db.Collation.Compare(id, _ceiling) > 0);
    }

    /// <summary>A document with <paramref name="id"/> was inserted in the current transaction.</summary>
    public void Inserted(LiteDatabase db, string id)
    {
        if (_known && (_ceiling is null || db.Collation.Compare(id, _ceiling) > 0))
        {
            _ceiling = id;
        }
    }

    public void Clear()
    {
        _ceiling = null;
        _known = false;
        _unusable = false;
    }
}
