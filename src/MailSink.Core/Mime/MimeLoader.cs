using System.Runtime.InteropServices;
using MimeKit;

namespace MailSink.Mime;

/// <summary>Loads raw message bytes into MimeKit with limits that hostile input cannot get around.</summary>
internal static class MimeLoader
{
    /// <summary>
    /// Deeper multiparts are kept as opaque leaves. Real mail rarely nests past 5 levels; the corpus file
    /// stack-overflow.txt exists because unbounded recursion crashes naive parsers.
    /// </summary>
    public const int MaxMimeDepth = 32;

    private static readonly ParserOptions Options = CreateOptions();

    /// <summary>
    /// Parses <paramref name="raw"/> without copying it: with persist=true MimeKit keeps part content as
    /// windows onto the stream, so a 50 MB attachment is not duplicated in memory. The returned message is
    /// only valid while <paramref name="raw"/> is.
    /// </summary>
    public static MimeMessage Load(ReadOnlyMemory<byte> raw)
    {
        return MimeMessage.Load(Options, OpenStream(raw), persistent: true);
    }

    /// <summary>Like <see cref="Load"/> but returns null and the parser's complaint instead of throwing.</summary>
    public static MimeMessage? TryLoad(ReadOnlyMemory<byte> raw, out string? error) =>
        raw.IsEmpty ? Empty(out error) : TryLoad(OpenStream(raw), out error);

    /// <summary>
    /// Like <see cref="TryLoad(ReadOnlyMemory{byte}, out string?)"/> over a seekable stream (a message's file): part
    /// contents stay windows onto it, so the stream must stay open while the message is used.
    /// </summary>
    public static MimeMessage? TryLoad(Stream raw, out string? error)
    {
        error = null;
        if (raw.Length == 0)
        {
            return Empty(out error);
        }

        try
        {
            return MimeMessage.Load(Options, raw, persistent: true);
        }
        catch (Exception ex) when (ex is FormatException or ParseException or InvalidOperationException or ArgumentException or IOException or NotSupportedException)
        {
            error = $"MimeKit could not parse the message: {ex.Message}";
            return null;
        }
    }

    private static MimeMessage? Empty(out string? error)
    {
        error = "The message is empty.";
        return null;
    }

    /// <summary>
    /// The top-level header block in the order sent. MimeKit moves the top-level Content-* headers from
    /// MimeMessage.Headers to the body entity, so both lists are merged back by their stream offset.
    /// </summary>
    public static IEnumerable<Header> TopLevelHeaders(MimeMessage message)
    {
        var body = message.Body?.Headers ?? [];
        return message.Headers.Concat(body)
            .Select((header, index) => (header, index))
            .OrderBy(h => h.header.Offset ?? long.MaxValue)
            .ThenBy(h => h.index)
            .Select(h => h.header);
    }

    public static Stream OpenStream(ReadOnlyMemory<byte> raw)
    {
        if (MemoryMarshal.TryGetArray(raw, out var segment) && segment.Array is not null)
        {
            return new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false);
        }

        return new MemoryStream(raw.ToArray(), writable: false);
    }

    private static ParserOptions CreateOptions()
    {
        // The code pages MimeKit needs (ISO-2022-JP, windows-125x, ...) are registered once, when the assembly
        // loads: CodePageEncodings.cs says why here would be too late.
        var options = ParserOptions.Default.Clone();
        options.MaxMimeDepth = MaxMimeDepth;

        // RFC 5322 section 3.4 groups cannot nest at all; a handful of levels tolerates broken senders.
        options.MaxAddressGroupDepth = 3;
        return options;
    }
}
