using LiteDB;

namespace MailSink.Storage;

/// <summary>
/// Raw message bytes, apart from the summaries (scanning summaries must never page in raw
/// bytes). LiteDB caps a document near 16 MB, so large messages are split into chunks:
/// chunk 0 has the message id as _id and the chunk count; chunk i has "id\u001Fi".
/// </summary>
internal static class RawChunks
{
    private const int ChunkSize = 1024 * 1024;
    private const char Separator = '\u001F';

    public static void Write(ILiteCollection<BsonDocument> raw, string id, byte[] bytes)
    {
        Delete(raw, id);
        Insert(raw, id, bytes);
    }

    /// <summary>Stores the chunks of an id that has none yet, compressed when that saves space ("z": the original length).</summary>
    public static void Insert(ILiteCollection<BsonDocument> raw, string id, byte[] message)
    {
        List<byte[]> chunks;
        int storedLength, originalLength;
        if (message.Length <= ChunkSize)
        {
            // The common single-chunk message is stored from the compressor's copy (or the caller's) without another one.
            (var bytes, originalLength) = RawCompression.Pack(message);
            (chunks, storedLength) = ([bytes], bytes.Length);
        }
        else
        {
            (chunks, storedLength, originalLength) = RawCompression.PackChunks(message, ChunkSize);
        }

        for (var i = 0; i < chunks.Count; i++)
        {
            var doc = new BsonDocument { ["_id"] = KeyOf(id, i), ["d"] = chunks[i] };
            if (i == 0)
            {
                doc["n"] = chunks.Count;
                doc["len"] = storedLength;
                if (originalLength > 0)
                {
                    doc["z"] = originalLength;
                }
            }

            raw.Insert(doc);

            // The document holds the only other reference: once LiteDB has copied it into pages it can go.
            chunks[i] = [];
        }
    }

    public static byte[]? Read(ILiteCollection<BsonDocument> raw, string id)
    {
        var first = raw.FindById(id);
        if (first is null)
        {
            return null;
        }

        var count = first["n"].AsInt32;
        if (count == 1)
        {
            return Unpacked(first, first["d"].AsBinary);
        }

        var result = new byte[first["len"].AsInt32];
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            var chunk = i == 0 ? first["d"].AsBinary : raw.FindById(KeyOf(id, i))?["d"].AsBinary;
            if (chunk is null)
            {
                // Deleted between two reads (each read is its own snapshot): the message is gone.
                return null;
            }

            chunk.CopyTo(result, offset);
            offset += chunk.Length;
        }

        return Unpacked(first, result);
    }

    /// <summary>Documents written before compression (no "z") are returned as stored.</summary>
    private static byte[] Unpacked(BsonDocument first, byte[] stored) =>
        first.TryGetValue("z", out var length) && length.IsInt32 ? RawCompression.Unpack(stored, length.AsInt32) : stored;

    public static void Delete(ILiteCollection<BsonDocument> raw, string id)
    {
        // Delete by key until a chunk is missing, so the 1 MB chunk 0 is never loaded to read its count.
        if (!raw.Delete(id))
        {
            return;
        }

        for (var i = 1; raw.Delete(KeyOf(id, i)); i++)
        {
        }
    }

    private static BsonValue KeyOf(string id, int chunk) => chunk == 0 ? id : $"{id}{Separator}{chunk}";
}
