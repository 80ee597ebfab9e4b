using System.Security.Cryptography;
using MailSink.Mime;

namespace MailSink.Api.Compat;

/// <summary>Mailpit's attachment "Checksums": lower-case hex digests of the decoded content, for asserting a file arrived intact.</summary>
internal sealed record AttachmentChecksums(string MD5, string SHA1, string SHA256)
{
    public static AttachmentChecksums? Of(MessageContentReader content, string partId) =>
        content.TryGetPart(partId, out var part)
            ? new AttachmentChecksums(Hex(System.Security.Cryptography.MD5.HashData(part.Content)), Hex(System.Security.Cryptography.SHA1.HashData(part.Content)), Hex(System.Security.Cryptography.SHA256.HashData(part.Content)))
            : null;

    private static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);
}
