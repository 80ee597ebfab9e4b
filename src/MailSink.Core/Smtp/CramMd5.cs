using System.Security.Cryptography;
using System.Text;

namespace MailSink.Smtp;

/// <summary>
/// AUTH CRAM-MD5 (RFC 2195): the server sends a unique challenge in the form of an RFC 5322 msg-id, the client
/// answers "user SP hex(HMAC-MD5(password, challenge))" (RFC 2104), so the password never crosses the wire;
/// the server needs the plain password to check it.
/// </summary>
internal static class CramMd5
{
    /// <summary>RFC 2195 section 2: "&lt;random.timestamp@hostname&gt;", never the same twice.</summary>
    public static string NewChallenge(string hostname, TimeProvider time) =>
        $"<{RandomNumberGenerator.GetInt32(int.MaxValue)}.{time.GetUtcNow().ToUnixTimeSeconds()}@{hostname}>";

    /// <summary>Splits a decoded response into the user and the digest (32 hex digits); null when it is not that shape.</summary>
    public static (string User, string Digest)? Parse(string response)
    {
        var space = response.LastIndexOf(' ');
        if (space <= 0)
        {
            return null;
        }

        var digest = response[(space + 1)..].ToLowerInvariant();
        return digest.Length == 32 && digest.All(Uri.IsHexDigit) ? (response[..space], digest) : null;
    }

    /// <summary>Whether <paramref name="digest"/> (lower-case hex) is the keyed MD5 of the challenge under the password.</summary>
    public static bool Verify(string challenge, string password, string digest)
    {
        var expected = Encoding.ASCII.GetBytes(Digest(challenge, password));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(digest));
    }

    /// <summary>What a client computes (tests use it to answer a challenge).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351", Justification = "CRAM-MD5 (RFC 2195) is defined on HMAC-MD5; MailSink offers it because clients under test use it.")]
    public static string Digest(string challenge, string password) =>
        Convert.ToHexStringLower(HMACMD5.HashData(Encoding.UTF8.GetBytes(password), Encoding.ASCII.GetBytes(challenge)));
}
