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
    public const int MinLength = 256;

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

    /// <summary>
    /// A message of more than one chunk, compressed as a stream straight into chunk-sized arrays: the chunks are the
    /// stored pieces, with no compress-bound buffer and no copy of the whole compressed message (a 25 MB message held
    /// 25 MB of buffer, 19 MB of compressed copy and 19 MB of chunk copies at once; issue 12, bench/memory.sh).
    /// Incompressible bytes come back as slices of the message, as <see cref="Pack"/> would store them.
    /// </summary>
    public static (List<byte[]> Chunks, int StoredLength, int OriginalLength) PackChunks(byte[] raw, int chunkSize)
    {
        using var output = new ChunkedMemoryStream(chunkSize, maxSpareChunks: 0);
        using (var zstd = new CompressionStream(output, Level, leaveOpen: true))
        {
            zstd.Write(raw);
        }

        var stored = (int)output.Length;
        if (stored < raw.Length - raw.Length / 16)
        {
            return (output.DetachChunks(), stored, raw.Length);
        }

        var slices = new List<byte[]>();
        for (var start = 0; start < raw.Length; start += chunkSize)
        {
            slices.Add(raw.AsSpan(start, Math.Min(chunkSize, raw.Length - start)).ToArray());
        }

        return (slices, raw.Length, 0);
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
