namespace MailSink.Mime;

/// <summary>A decoded MIME part ready to download.</summary>
/// <param name="PartId">The part path it was found under ("1", "2.1", ...).</param>
/// <param name="ContentType">The MIME type, e.g. "image/png".</param>
/// <param name="FileName">A name safe to put in Content-Disposition or on disk: never a path.</param>
/// <param name="Content">The content with its transfer encoding removed.</param>
internal sealed record MessagePartContent(string PartId, string ContentType, string FileName, byte[] Content);

/// <summary>A MIME part to stream: <paramref name="Content"/> is decoded as it is read, and the reader disposes it.</summary>
internal sealed record MessagePartStream(string PartId, string ContentType, string FileName, Stream Content);
