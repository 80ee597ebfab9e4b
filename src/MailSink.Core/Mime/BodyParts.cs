using MimeKit;

namespace MailSink.Mime;

/// <summary>
/// Which leaves are the readable bodies: the first text/plain and the first text/html that are not
/// attachments (no "attachment" disposition, no file name). Everything else is an attachment or an inline.
/// </summary>
internal sealed record BodyParts(MimeNode? Text, MimeNode? Html)
{
    public static BodyParts Select(IEnumerable<MimeNode> nodes)
    {
        MimeNode? text = null;
        MimeNode? html = null;
        foreach (var node in nodes)
        {
            if (node.Entity is not TextPart part || !IsBodyCandidate(node, part))
            {
                continue;
            }

            if (text is null && part.IsPlain)
            {
                text = node;
            }
            else if (html is null && part.IsHtml)
            {
                html = node;
            }
        }

        return new BodyParts(text, html);
    }

    public bool IsBody(MimeNode node) => node.PartId == Text?.PartId || node.PartId == Html?.PartId;

    private static bool IsBodyCandidate(MimeNode node, TextPart part)
    {
        if (part.IsAttachment)
        {
            return false;
        }

        // A top-level single part is the body even when a sender names it.
        return node.Parent is null || part.FileName is null;
    }
}
