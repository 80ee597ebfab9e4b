namespace MailSink.Diagnostics.Content;

/// <summary>
/// Finds the first end-of-data look-alike made with bare CR or LF (SMTP smuggling, CVE-2023-51764/51765/51766):
/// a lenient receiver would end DATA there and read the rest as new commands. RFC 5321 section 4.1.1.4 ends DATA
/// only at CRLF.CRLF.
/// </summary>
internal static class DataSequenceScanner
{
    private static readonly (byte[] Bytes, string Shown)[] Sequences =
    [
        ("\n.\n"u8.ToArray(), @"\n.\n"),
        ("\r\n.\n"u8.ToArray(), @"\r\n.\n"),
        ("\n.\r\n"u8.ToArray(), @"\n.\r\n"),
        ("\r.\r"u8.ToArray(), @"\r.\r"),
        ("\r\n.\r"u8.ToArray(), @"\r\n.\r"),
        ("\r.\r\n"u8.ToArray(), @"\r.\r\n"),
    ];

    /// <returns>The offset within <paramref name="data"/> and the sequence as escaped text, or null.</returns>
    public static (int Offset, string Sequence)? FindFirst(ReadOnlySpan<byte> data)
    {
        (int Offset, string Sequence)? first = null;
        foreach (var (bytes, shown) in Sequences)
        {
            var at = FindValid(data, bytes);
            if (at >= 0 && (first is null || at < first.Value.Offset || (at == first.Value.Offset && shown.Length > first.Value.Sequence.Length)))
            {
                first = (at, shown);
            }
        }

        return first;
    }

    /// <summary>An un-stuffed "." line between CRLFs is legal content (RFC 5321 section 4.5.2), so CRLF.CRLF never counts.</summary>
    private static int FindValid(ReadOnlySpan<byte> data, byte[] bytes)
    {
        var from = 0;
        while (from < data.Length)
        {
            var next = data[from..].IndexOf(bytes);
            if (next < 0)
            {
                return -1;
            }

            var at = from + next;
            var end = at + bytes.Length;
            var legal = (bytes.AsSpan().SequenceEqual("\r\n.\r"u8) && end < data.Length && data[end] == '\n')
                || (bytes.AsSpan().SequenceEqual("\n.\r\n"u8) && at > 0 && data[at - 1] == '\r');
            if (!legal)
            {
                return at;
            }

            from = at + 1;
        }

        return -1;
    }
}
