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

    public static void Write(ILiteCollection<BsonDocument> raw, string id, byte[] bytes, CompressionDictionaries dictionaries)
    {
        Delete(raw, id);
        Insert(raw, id, bytes, dictionaries);
    }

    /// <summary>
    /// Stores the chunks of an id that has none yet, compressed when that saves space ("z": the original length; "zd":
    /// the store's dictionary it was compressed with, see <see cref="CompressionDictionaries"/>).
    /// </summary>
    public static void Insert(ILiteCollection<BsonDocument> raw, string id, byte[] message, CompressionDictionaries dictionaries)
    {
        List<byte[]> chunks;
        int storedLength, originalLength;
        var dictionary = message.Length is >= RawCompression.MinLength and <= CompressionDictionaries.MaxInput ? dictionaries.Raw : null;
        if (dictionary is not null)
        {
            var packed = dictionary.Compress(message);
            if (packed.Length < message.Length - message.Length / 16)
            {
                (chunks, storedLength, originalLength) = ([packed], packed.Length, message.Length);
            }
            else
            {
                (chunks, storedLength, originalLength) = ([message], message.Length, 0);
                dictionary = null;
            }
        }
        else if (message.Length <= ChunkSize)
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

                if (dictionary is not null)
                {
                    doc["zd"] = dictionary.Id;
                }
            }

            raw.Insert(doc);

            // The document holds the only other reference: once LiteDB has copied it into pages it can go.
            chunks[i] = [];
        }
    }

    /// <summary>
    /// The document of a message whose bytes are kept outside LiteDB (<see cref="LargeRaws"/>): "f" and the length, no chunks.
    /// </summary>
    public static void InsertFileMarker(ILiteCollection<BsonDocument> raw, string id, int length) =>
        raw.Insert(new BsonDocument { ["_id"] = id, ["n"] = 1, ["len"] = length, ["f"] = true });

    /// <summary>The length recorded for <paramref name="id"/> when its bytes are in a file, else null.</summary>
    public static long? FileLength(ILiteCollection<BsonDocument> raw, string id) =>
        raw.FindById(id) is { } first && IsFile(first) ? first["len"].AsInt32 : null;

    /// <summary>
    /// The message as a seekable stream, or null when it is gone: its file (or kept array) when it has one (nothing
    /// read into memory), else the bytes from LiteDB in a read-only MemoryStream.
    /// </summary>
    public static Stream? Open(ILiteCollection<BsonDocument> raw, string id, CompressionDictionaries dictionaries, LargeRaws files)
    {
        var first = raw.FindById(id);
        if (first is null)
        {
            return null;
        }

        if (IsFile(first))
        {
            return files.Open(id);
        }

        return Read(raw, id, first, dictionaries) is { } bytes ? new MemoryStream(bytes, writable: false) : null;
    }

    public static byte[]? Read(ILiteCollection<BsonDocument> raw, string id, CompressionDictionaries dictionaries, LargeRaws files)
    {
        var first = raw.FindById(id);
        if (first is null)
        {
            return null;
        }

        if (IsFile(first))
        {
            using var file = files.Open(id);
            if (file is null)
            {
                return null;
            }

            var bytes = new byte[file.Length];
            file.ReadExactly(bytes);
            return bytes;
        }

        return Read(raw, id, first, dictionaries);
    }

    private static bool IsFile(BsonDocument first) => first.TryGetValue("f", out var f) && f.IsBoolean && f.AsBoolean;

    private static byte[]? Read(ILiteCollection<BsonDocument> raw, string id, BsonDocument first, CompressionDictionaries dictionaries)
    {
        var count = first["n"].AsInt32;
        if (count == 1)
        {
            return Unpacked(first, first["d"].AsBinary, dictionaries);
        }

        if (first.TryGetValue("z", out var original) && original.IsInt32)
        {
            return ReadCompressed(raw, id, first, count, original.AsInt32);
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

        return Unpacked(first, result, dictionaries);
    }

    /// <summary>
    /// Decompresses chunk after chunk straight into the message: the compressed whole is never put together (a view of
    /// a 25 MB message held its 19 MB of compressed bytes twice, as chunks and joined; issue 12).
    /// </summary>
    private static byte[]? ReadCompressed(ILiteCollection<BsonDocument> raw, string id, BsonDocument first, int count, int originalLength)
    {
        var result = new byte[originalLength];
        var chunks = new ChunkSequence(raw, id, first["d"].AsBinary, count);
        using var zstd = new ZstdSharp.DecompressionStream(chunks, leaveOpen: false);
        var offset = 0;
        try
        {
            while (offset < result.Length)
            {
                var n = zstd.Read(result, offset, result.Length - offset);
                if (n == 0)
                {
                    break;
                }

                offset += n;
            }
        }
        catch (Exception ex) when (chunks.Missing && ex is ZstdSharp.ZstdException or EndOfStreamException or IOException)
        {
            // A frame cut short by a chunk deleted meanwhile: handled as missing below.
        }

        if (chunks.Missing)
        {
            // Deleted between two reads (each read is its own snapshot): the message is gone.
            return null;
        }

        return offset == result.Length
            ? result
            : throw new InvalidDataException($"A stored message decompressed to {offset} bytes instead of {originalLength}.");
    }

    /// <summary>The stored chunks of one message read as one stream, each fetched when the reader reaches it.</summary>
    private sealed class ChunkSequence(ILiteCollection<BsonDocument> raw, string id, byte[] first, int count) : Stream
    {
        private byte[] _current = first;
        private int _index;
        private int _offset;

        /// <summary>A chunk was gone when its turn came.</summary>
        public bool Missing { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (_offset == _current.Length)
            {
                if (++_index >= count || Missing)
                {
                    return 0;
                }

                _current = raw.FindById(KeyOf(id, _index))?["d"].AsBinary ?? [];
                _offset = 0;
                Missing = _current.Length == 0;
            }

            var n = Math.Min(buffer.Length, _current.Length - _offset);
            _current.AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Documents written before compression (no "z") are returned as stored.</summary>
    private static byte[] Unpacked(BsonDocument first, byte[] stored, CompressionDictionaries dictionaries)
    {
        if (!first.TryGetValue("z", out var length) || !length.IsInt32)
        {
            return stored;
        }

        return first.TryGetValue("zd", out var dictionary) && dictionary.IsInt32
            ? dictionaries.Get(dictionary.AsInt32).Decompress(stored, length.AsInt32)
            : RawCompression.Unpack(stored, length.AsInt32);
    }

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
