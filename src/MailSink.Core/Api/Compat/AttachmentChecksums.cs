using System.Security.Cryptography;
using MailSink.Contracts;
using MailSink.Mime;

namespace MailSink.Api.Compat;

/// <summary>Computes Mailpit's attachment "Checksums" (<see cref="AttachmentChecksumsDto"/>) from the decoded content.</summary>
internal static class AttachmentChecksums
{
    /// <summary>
    /// Hashed as the part is decoded, in blocks: a message view with three 6 MB attachments held each decoded one in
    /// a growing MemoryStream and its copy (issue 12).
    /// </summary>
    public static AttachmentChecksumsDto? Of(MessageContentReader content, string partId)
    {
        if (!content.TryOpenPart(partId, out var part))
        {
            return null;
        }

        // MD5 and SHA-1 are what Mailpit's clients compare against; they identify content here, they protect nothing.
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using (part.Content)
            {
                int read;
                while ((read = part.Content.Read(buffer, 0, buffer.Length)) > 0)
                {
                    md5.AppendData(buffer, 0, read);
                    sha1.AppendData(buffer, 0, read);
                    sha256.AppendData(buffer, 0, read);
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return new AttachmentChecksumsDto(Hex(md5.GetHashAndReset()), Hex(sha1.GetHashAndReset()), Hex(sha256.GetHashAndReset()));
    }

    private static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);
}
