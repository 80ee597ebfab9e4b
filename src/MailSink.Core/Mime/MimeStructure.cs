using MailSink.Domain;
using MimeKit;

namespace MailSink.Mime;

/// <summary>
/// One walk over the MIME tree: the body parts, the structural warnings, and (once the HTML is known)
/// which leaves are attachments and which are inlines.
/// </summary>
internal sealed class MimeStructure
{
    private MimeStructure(List<MimeNode> nodes, BodyParts bodies)
    {
        Nodes = nodes;
        Bodies = bodies;
    }

    public List<MimeNode> Nodes { get; }

    public BodyParts Bodies { get; }

    /// <param name="message">The parsed message.</param>
    /// <param name="raw">The bytes it was parsed from: MimeKit does not expose whether an end boundary was seen.</param>
    /// <param name="warnings">Where structural problems are reported.</param>
    public static MimeStructure Read(MimeMessage message, ReadOnlyMemory<byte> raw, List<string> warnings)
    {
        var tooDeep = false;
        var nodes = MimePartWalker.Walk(message, onTooDeep: _ => tooDeep = true).ToList();
        if (tooDeep)
        {
            warnings.Add($"MIME parts are nested deeper than {MimeLoader.MaxMimeDepth} levels; the deeper parts are not listed.");
        }

        foreach (var node in nodes)
        {
            CheckNode(node, raw.Span, warnings);
        }

        return new MimeStructure(nodes, BodyParts.Select(nodes));
    }

    /// <summary>Splits the non-body leaves into attachments and inlines (cid:/Content-Location references, RFC 2392, RFC 2557).</summary>
    public void ListParts(string? html, List<AttachmentInfo> attachments, List<AttachmentInfo> inlines)
    {
        foreach (var node in Nodes)
        {
            if (node.Entity is Multipart || Bodies.IsBody(node))
            {
                continue;
            }

            var info = Describe(node);
            if (IsInline(node, html))
            {
                info.Inline = true;
                inlines.Add(info);
            }
            else
            {
                attachments.Add(info);
            }
        }
    }

    private static bool IsInline(MimeNode node, string? html)
    {
        var entity = node.Entity;
        if (entity.IsAttachment || (entity.ContentId is null && entity.ContentLocation is null))
        {
            return false;
        }

        if (node.Parent?.ContentType.IsMimeType("multipart", "related") == true)
        {
            return true;
        }

        return entity.ContentId is { } cid && html?.Contains("cid:" + cid, StringComparison.OrdinalIgnoreCase) == true;
    }

    private static AttachmentInfo Describe(MimeNode node)
    {
        var entity = node.Entity;
        return new AttachmentInfo
        {
            PartId = node.PartId,
            FileName = SafeFileName.For(entity, node.PartId),
            // RFC 2045 section 5.1: type and subtype are case-insensitive; one spelling keeps filters simple.
            ContentType = entity.ContentType.MimeType.ToLowerInvariant(),
            Size = DecodedSize(entity),
            ContentId = entity.ContentId,
            Inline = entity.ContentDisposition?.Disposition.Equals(ContentDisposition.Inline, StringComparison.OrdinalIgnoreCase) == true,
        };
    }

    /// <summary>Decodes into a counter: the exact size without holding the decoded bytes.</summary>
    private static long DecodedSize(MimeEntity entity)
    {
        var counter = new CountingStream();
        try
        {
            switch (entity)
            {
                case MimePart { Content: { } content }:
                    content.DecodeTo(counter);
                    break;
                case MessagePart { Message: { } message }:
                    message.WriteTo(counter);
                    break;
            }
        }
        catch (Exception ex) when (ex is FormatException or IOException or InvalidOperationException or NotSupportedException)
        {
            // A broken encoding still has a size worth showing: whatever decoded before it broke.
        }

        return counter.Count;
    }

    private static void CheckNode(MimeNode node, ReadOnlySpan<byte> raw, List<string> warnings)
    {
        var where = node.PartId.Length == 0 ? "The top-level part" : $"Part {node.PartId}";
        var entity = node.Entity;
        var declared = entity.Headers[HeaderId.ContentType];
        if (declared is not null && !declared.Split(';', 2)[0].Contains('/'))
        {
            warnings.Add($"{where} has Content-Type \"{Shorten(declared.Trim())}\" without a subtype (RFC 2045 section 5.1); it was read as {entity.ContentType.MimeType}.");
        }

        if (entity is Multipart multipart)
        {
            if (multipart.Count == 0)
            {
                warnings.Add($"{where} ({multipart.ContentType.MimeType}) contains no parts.");
            }

            if (multipart.Boundary is { } boundary && !HasEndBoundary(raw, boundary))
            {
                warnings.Add($"{where} ({multipart.ContentType.MimeType}) is missing its closing boundary \"--{Shorten(boundary)}--\" (RFC 2046 section 5.1.1).");
            }
        }
        else if (entity.ContentType.MediaType.Equals("multipart", StringComparison.OrdinalIgnoreCase))
        {
            warnings.Add(entity.ContentType.Boundary is null
                ? $"{where} is declared {entity.ContentType.MimeType} but has no boundary parameter (RFC 2046 section 5.1.1); it is kept as one opaque part."
                : $"{where} is nested deeper than {MimeLoader.MaxMimeDepth} levels; it is kept as one opaque part.");
        }
    }

    private static bool HasEndBoundary(ReadOnlySpan<byte> raw, string boundary)
    {
        // RFC 2046 section 5.1.1: close-delimiter := delimiter "--", with delimiter := CRLF "--" boundary.
        var marker = System.Text.Encoding.UTF8.GetBytes("--" + boundary + "--");
        return raw.IndexOf(marker) >= 0;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
