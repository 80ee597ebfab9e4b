namespace MailSink.Domain;

/// <summary>One attachment or inline part, as listed in a summary.</summary>
internal sealed class AttachmentInfo
{
    /// <summary>Part path within the MIME tree ("1", "2.1", ...): the {partId} of the part API.</summary>
    public string PartId { get; set; } = "";
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    public string? ContentId { get; set; }
    public bool Inline { get; set; }
}
