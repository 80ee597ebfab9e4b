using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailSink.Options;
using Microsoft.Extensions.Options;

namespace MailSink.Smtp;

/// <summary>
/// The TLS certificate: the configured PFX or PEM pair, otherwise a self-signed one generated once
/// for the host name, localhost, 127.0.0.1 and ::1 and kept in the data folder so clients that pinned
/// it keep working across restarts. Its SHA-256 fingerprint is logged for pinning.
/// </summary>
internal sealed partial class CertificateProvider(IOptions<SmtpOptions> smtp, DataDirectory dataDirectory, ServerIdentity identity, ILogger<CertificateProvider> logger)
{
    private X509Certificate2? _certificate;

    public X509Certificate2 Get() => _certificate ??= Load();

    /// <summary>Where the certificate came from (a configured file, or the generated one's path), once loaded.</summary>
    public string? Source { get; private set; }

    private X509Certificate2 Load()
    {
        var o = smtp.Value;
        X509Certificate2 certificate;
        string source;
        if (!string.IsNullOrEmpty(o.TlsCertificatePath))
        {
            certificate = LoadConfigured(o);
            source = o.TlsCertificatePath;
        }
        else
        {
            var path = Path.Combine(dataDirectory.Path, "mailsink-tls.pfx");
            if (File.Exists(path))
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
                source = path;
            }
            else
            {
                var pfx = Generate(identity.Hostname);
                File.WriteAllBytes(path, pfx);
                certificate = X509CertificateLoader.LoadPkcs12(pfx, password: null);
                source = $"{path} (generated)";
            }
        }

        Source = source;
        Log.Certificate(logger, certificate.Subject, source, CertificateFingerprint.Sha256(certificate));
        return certificate;
    }

    private static X509Certificate2 LoadConfigured(SmtpOptions o)
    {
        if (!string.IsNullOrEmpty(o.TlsKeyPath))
        {
            using var pem = X509Certificate2.CreateFromPemFile(o.TlsCertificatePath, o.TlsKeyPath);

            // SslStream on Linux wants a key it can export to its own store: round-trip through PKCS#12.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
        }

        return X509CertificateLoader.LoadPkcs12FromFile(o.TlsCertificatePath, string.IsNullOrEmpty(o.TlsCertificatePassword) ? null : o.TlsCertificatePassword);
    }

    private static byte[] Generate(string hostname)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={hostname}, O=MailSink self-signed", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostname);
        if (!hostname.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            names.AddDnsName("localhost");
        }

        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        return certificate.Export(X509ContentType.Pkcs12);
    }

    private static partial class Log
    {
        // Debug: the start-up banner shows the fingerprint with the listeners.
        [LoggerMessage(1201, LogLevel.Debug, "TLS certificate {Subject} from {Source}, SHA-256 fingerprint {Fingerprint}")]
        public static partial void Certificate(ILogger logger, string subject, string source, string fingerprint);
    }
}
