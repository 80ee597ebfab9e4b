using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace MailSink.Smtp;

/// <summary>
/// Turns a failed TLS handshake into a sentence a developer can act on: what most likely happened, the
/// certificate's fingerprint, and the way out. SslStream's own messages ("Received an unexpected EOF or
/// 0 bytes from the transport stream", an OpenSSL error code) name neither the certificate nor the fix,
/// and the commonest cause by far is a client that does not trust MailSink's self-signed certificate.
/// </summary>
internal sealed class TlsFailureExplainer(int? plainPort, TimeSpan handshakeTimeout)
{
    public TimeSpan HandshakeTimeout => handshakeTimeout;

    /// <summary>The handshake did not finish within <see cref="HandshakeTimeout"/>.</summary>
    public string TimedOut() =>
        $"no TLS handshake within {handshakeTimeout.TotalSeconds:0.###} s (the client connected and sent nothing a TLS server can use): connection closed";

    /// <summary>The handshake itself failed.</summary>
    public string HandshakeFailed(Exception exception, X509Certificate certificate)
    {
        var detail = Detail(exception);
        if (LooksLikePlainText(detail))
        {
            return $"the client did not speak TLS (it sent plain text to a TLS port): {PlainAdvice()} ({detail})";
        }

        if (LooksLikeVersionOrCipherMismatch(detail))
        {
            return $"the client and MailSink share no TLS version or cipher (MailSink offers TLS 1.2 and 1.3) ({detail})";
        }

        var certain = LooksLikeCertificateAlert(detail);
        var what = certain
            ? $"the client rejected {Describe(certificate)}"
            : $"the client closed the connection during the handshake, most likely because it rejected {Describe(certificate)}";
        return $"{what}: {TrustAdvice(certificate)} ({detail})";
    }

    /// <summary>
    /// The handshake completed but the client hung up before its first command. .NET clients (MailKit,
    /// System.Net.Mail) finish the handshake and only then check the certificate, so this is how their
    /// rejection looks from the server.
    /// </summary>
    public string ClosedRightAfterHandshake(X509Certificate certificate) =>
        $"the client hung up right after the handshake without sending a command, so it most likely rejected {Describe(certificate)}: {TrustAdvice(certificate)}";

    private static string Describe(X509Certificate certificate) =>
        $"{(CertificateFingerprint.IsSelfSigned(certificate) ? "MailSink's self-signed certificate" : $"MailSink's certificate {certificate.Subject}")} (SHA-256 fingerprint {CertificateFingerprint.Sha256(certificate)})";

    private string TrustAdvice(X509Certificate certificate) =>
        (CertificateFingerprint.IsSelfSigned(certificate) ? "trust it (or turn off certificate checks in the client's development settings)" : "make the client trust its issuer")
        + (plainPort is { } port ? $", or use port {port} without TLS" : ", or enable a plain listener (--Smtp:Smtp:Tls=None)");

    private string PlainAdvice() =>
        plainPort is { } port ? $"use port {port} for SMTP without TLS, or turn TLS on in the client" : "turn TLS on in the client (SSL/TLS, not STARTTLS)";

    private static string Detail(Exception exception)
    {
        // SslStream wraps the OpenSSL or SChannel reason (e.g. "wrong version number") one or two levels down.
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (!string.IsNullOrWhiteSpace(e.Message) && !messages.Contains(e.Message))
            {
                messages.Add(e.Message.Trim().TrimEnd('.'));
            }
        }

        return string.Join(": ", messages);
    }

    private static bool LooksLikePlainText(string detail) =>
        Contains(detail, "wrong version number") || Contains(detail, "http request") || Contains(detail, "packet length too long")
        || Contains(detail, "unknown protocol") || Contains(detail, "record layer failure")
        || Contains(detail, "corrupted frame"); // SslStream's own check of the first bytes: not a TLS record

    private static bool LooksLikeVersionOrCipherMismatch(string detail) =>
        Contains(detail, "unsupported protocol") || Contains(detail, "no shared cipher") || Contains(detail, "version too low")
        || Contains(detail, "no protocols available") || Contains(detail, "protocol version");

    private static bool LooksLikeCertificateAlert(string detail) =>
        Contains(detail, "certificate") || Contains(detail, "unknown ca") || Contains(detail, "alert");

    private static bool Contains(string text, string value) => text.Contains(value, StringComparison.OrdinalIgnoreCase);

    /// <summary>Exceptions a failed handshake surfaces as.</summary>
    public static bool IsHandshakeFailure(Exception ex) => ex is AuthenticationException or IOException;
}
