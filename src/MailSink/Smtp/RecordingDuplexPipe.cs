using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MailSink.Domain;
using SmtpServer.IO;

namespace MailSink.Smtp;

/// <summary>
/// SmtpServer's connection pipe, replaced so the transcript is recorded above TLS:
/// <see cref="UpgradeAsync"/> (called for STARTTLS and implicit TLS) puts SslStream under a new
/// <see cref="RecordingStream"/>.
/// </summary>
internal sealed class RecordingDuplexPipe : ISecurableDuplexPipe
{
    private readonly Stream _network;
    private readonly SessionRecorder _recorder;
    private readonly SmtpShutdown _shutdown;
    private readonly Action _onDispose;
    private readonly Func<Stream, Stream> _outermost;
    private SslStream? _ssl;
    private bool _disposed;

    // outermost wraps each stream the library reads and writes: fault injection sits there, above the recorder.
    public RecordingDuplexPipe(Stream network, SessionRecorder recorder, SmtpShutdown shutdown, Func<Stream, Stream> outermost, Action onDispose)
    {
        _outermost = outermost;
        _network = network;
        _recorder = recorder;
        _shutdown = shutdown;
        _onDispose = onDispose;
        var stream = outermost(new ShutdownAwareStream(new RecordingStream(network, recorder), recorder, shutdown));
        Input = PipeReader.Create(stream);
        Output = PipeWriter.Create(stream);
    }

    public PipeReader Input { get; private set; }

    public PipeWriter Output { get; private set; }

    public bool IsSecure => _ssl is not null;

    public SslProtocols SslProtocol => _ssl?.SslProtocol ?? SslProtocols.None;

    public async Task UpgradeAsync(X509Certificate certificate, SslProtocols protocols, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(_network, leaveInnerStreamOpen: true);
        try
        {
            await ssl.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = certificate,
                    EnabledSslProtocols = protocols,
                    ClientCertificateRequired = false,

                    // A local sink has no business checking revocation over a network it may not have.
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            _recorder.TlsFailed(ex.Message);
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _ssl = ssl;
        _recorder.TlsStarted(new TlsInfo(ProtocolName(ssl.SslProtocol), ssl.NegotiatedCipherSuite.ToString()));
        var stream = _outermost(new ShutdownAwareStream(new RecordingStream(ssl, _recorder), _recorder, _shutdown));
        Input = PipeReader.Create(stream);
        Output = PipeWriter.Create(stream);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _ssl?.Dispose();
        _onDispose();
    }

    internal static string ProtocolName(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
        _ => protocol.ToString(),
    };
}
