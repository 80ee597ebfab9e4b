using MimeKit;

namespace MailSink.Mime;

/// <summary>
/// Walks a MIME tree in document order and numbers the parts the way IMAP does (RFC 3501 section 6.4.5):
/// a single-part body is "1"; the children of the top multipart are "1", "2", ...; the children of part
/// "2" are "2.1", "2.2", .... A message/rfc822 part is a leaf here (it is offered as an .eml file).
/// The projector and the part reader both use this walker, so a PartId always resolves to the same part.
/// </summary>
internal static class MimePartWalker
{
    /// <summary>
    /// Enumerates every entity, multiparts included, without recursion (an explicit stack), so hostile
    /// nesting cannot overflow the call stack. Entities deeper than <paramref name="maxDepth"/> are skipped
    /// and <paramref name="onTooDeep"/> is called once for each skipped subtree.
    /// </summary>
    public static IEnumerable<MimeNode> Walk(MimeMessage message, int maxDepth = MimeLoader.MaxMimeDepth, Action<MimeNode>? onTooDeep = null)
    {
        if (message.Body is null)
        {
            yield break;
        }

        var rootId = message.Body is Multipart ? "" : "1";
        var stack = new Stack<MimeNode>();
        stack.Push(new MimeNode(message.Body, rootId, 0, null));

        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node.Depth > maxDepth)
            {
                onTooDeep?.Invoke(node);
                continue;
            }

            yield return node;

            if (node.Entity is Multipart multipart)
            {
                // Push in reverse so children pop in document order.
                for (var i = multipart.Count - 1; i >= 0; i--)
                {
                    var childId = node.PartId.Length == 0 ? $"{i + 1}" : $"{node.PartId}.{i + 1}";
                    stack.Push(new MimeNode(multipart[i], childId, node.Depth + 1, multipart));
                }
            }
        }
    }

    /// <summary>Finds the entity with this part path, or null. Only well-formed paths ("1", "2.1") are looked up.</summary>
    public static MimeNode? Find(MimeMessage message, string partId)
    {
        if (!IsWellFormed(partId))
        {
            return null;
        }

        foreach (var node in Walk(message))
        {
            if (node.PartId == partId)
            {
                return node;
            }
        }

        return null;
    }

    private static bool IsWellFormed(string partId)
    {
        if (string.IsNullOrEmpty(partId) || partId.Length > 200)
        {
            return false;
        }

        foreach (var segment in partId.Split('.'))
        {
            if (segment.Length == 0 || segment.Length > 6 || segment[0] == '0' || !segment.All(char.IsAsciiDigit))
            {
                return false;
            }
        }

        return true;
    }
}
