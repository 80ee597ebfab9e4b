using System.Security.Cryptography;
using MailSink.Contracts;
using MailSink.Mime;

namespace MailSink.Api.Compat;

/// <summary>Computes Mailpit's attachment "Checksums" (<see cref="AttachmentChecksumsDto"/>) from the decoded content.</summary>
internal static class AttachmentChecksums
{
    // MD5 and SHA-1 are what Mailpit's clients compare against; they identify content here, they protect nothing.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351", Justification = "Mailpit's Checksums field names MD5.")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "Mailpit's Checksums field names SHA1.")]
    public static AttachmentChecksumsDto? Of(MessageContentReader content, string partId) =>
        content.TryGetPart(partId, out var part)
            ? new AttachmentChecksumsDto(Hex(MD5.HashData(part.Content)), Hex(SHA1.HashData(part.Content)), Hex(SHA256.HashData(part.Content)))
            : null;

    private static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);
}
