using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MailSink.Smtp;

/// <summary>
/// The SHA-256 fingerprint as people compare it: colon-separated hex pairs, the form
/// <c>openssl x509 -fingerprint -sha256</c> and browsers print, so a developer can match what a client shows.
/// </summary>
internal static class CertificateFingerprint
{
    public static string Sha256(X509Certificate certificate) =>
        string.Join(':', Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)).Chunk(2).Select(pair => new string(pair)));

    /// <summary>True for a certificate that signed itself (MailSink's generated one), which no client trusts by default.</summary>
    public static bool IsSelfSigned(X509Certificate certificate) =>
        string.Equals(certificate.Subject, certificate.Issuer, StringComparison.Ordinal);
}
