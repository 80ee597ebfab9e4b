using MimeKit;

namespace MailSink.Mime;

/// <summary>One entity of a message's MIME tree with its part path ("" for a multipart root, "1", "2.1", ...).</summary>
internal readonly record struct MimeNode(MimeEntity Entity, string PartId, int Depth, Multipart? Parent);
