namespace MailSink.Smtp;

/// <summary>
/// The end of DATA as SmtpServer 11.1.0 must be shown it, the way in to the library; <see cref="DataNormalizer"/>
/// undoes the library's handling of the content on the way out. The client's own terminator is consumed by
/// <see cref="ClientStreamParser"/>, which writes one of these instead.
/// </summary>
internal static class LibraryDataEnd
{
    /// <summary>The client's CRLF "." CRLF: its CRLF is already forwarded with the content.</summary>
    private static ReadOnlySpan<byte> AfterContent => ".\r\n"u8;

    /// <summary>
    /// Empty-DATA shim: the library only recognises CRLF "." CRLF after content, so a message with no content at all
    /// (the client sent "." straight after the 354) needs the leading CRLF or the library waits for more (FIELD-NOTES).
    /// </summary>
    private static ReadOnlySpan<byte> EmptyContent => "\r\n.\r\n"u8;

    /// <summary>
    /// What the library is shown at the end of an oversize DATA. The leading byte breaks any partial
    /// CRLF "." CRLF the truncated content may end with, so the library finds exactly one end.
    /// </summary>
    private static ReadOnlySpan<byte> AfterTruncatedContent => "x\r\n.\r\n"u8;

    /// <summary>The end to write after <paramref name="contentBytes"/> of forwarded content (or truncated content).</summary>
    public static ReadOnlySpan<byte> For(long contentBytes, bool truncated) =>
        truncated ? AfterTruncatedContent : contentBytes == 0 ? EmptyContent : AfterContent;
}
