using ZstdSharp;

namespace MailSink.Storage;

/// <summary>
/// Raw message bytes are stored zstd-compressed when that saves space (issue 12: the database was 3.8x the raw mail).
/// Mail is mostly text and compresses 3-4x; an already compressed attachment is stored as it came.
/// Documents written before this have no "z" field and are read as they are.
/// </summary>
internal static class RawCompression
{
    /// <summary>
    /// zstd level. Measured on the 5 KB bench message (StorageBenchmarks.CompressRaw): see bench/README.md;
    /// level 3 is zstd's default and compresses within a few percent of 9 at a fraction of its CPU.
    /// </summary>
    public const int Level = 3;

    /// <summary>Below this, the frame and the per-document fields cost more than compression saves.</summary>
    private const int MinLength = 256;

    // Compression contexts are costly to create and not thread-safe: one per thread (the writer, readers of the pool).
    [ThreadStatic]
    private static Compressor? t_compressor;

    [ThreadStatic]
    private static Decompressor? t_decompressor;

    /// <summary>The bytes to store and, when they are compressed, the original length (else 0).</summary>
    public static (byte[] Stored, int OriginalLength) Pack(byte[] raw)
    {
        if (raw.Length < MinLength)
        {
            return (raw, 0);
        }

        var compressor = t_compressor ??= new Compressor(Level);
        var buffer = new byte[Compressor.GetCompressBound(raw.Length)];
        var written = compressor.Wrap(raw, buffer);
        return written < raw.Length - raw.Length / 16 ? (buffer.AsSpan(0, written).ToArray(), raw.Length) : (raw, 0);
    }

    public static byte[] Unpack(byte[] stored, int originalLength)
    {
        var decompressor = t_decompressor ??= new Decompressor();
        var raw = new byte[originalLength];
        var written = decompressor.Unwrap(stored, raw);
        return written == originalLength
            ? raw
            : throw new InvalidDataException($"A stored message decompressed to {written} bytes instead of {originalLength}.");
    }
}
