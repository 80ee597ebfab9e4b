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
/// <see cref="RecordingStream"/>. The handshake is bounded by a timeout, and a failed one is recorded
/// in words a developer can act on (<see cref="TlsFailureExplainer"/>).
/// </summary>
internal sealed class RecordingDuplexPipe : ISecurableDuplexPipe
{
    private readonly Stream _network;
    private readonly SessionRecorder _recorder;
    private readonly SmtpShutdown _shutdown;
    private readonly Action _onDispose;
    private readonly TlsFailureExplainer _explainer;
    private readonly TimeProvider _time;
    private readonly Func<Stream, Stream> _outermost;
    private SslStream? _ssl;
    private bool _disposed;

    // outermost wraps each stream the library reads and writes: fault injection sits there, above the recorder.
    public RecordingDuplexPipe(Stream network, SessionRecorder recorder, SmtpShutdown shutdown, TlsFailureExplainer explainer, TimeProvider time, Func<Stream, Stream> outermost, Action onDispose)
    {
        _outermost = outermost;
        _network = network;
        _recorder = recorder;
        _shutdown = shutdown;
        _explainer = explainer;
        _time = time;
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

        // Without a bound a socket that connects to 465 and sends nothing holds a connection slot until the
        // idle timeout (minutes); a few hundred of them lock every real client out (issue 13, defect 6).
        using var handshakeTimeout = new CancellationTokenSource(_explainer.HandshakeTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, handshakeTimeout.Token);
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
                linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (handshakeTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var explanation = _explainer.TimedOut();
            _recorder.TlsFailed(explanation);
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException($"TLS handshake failed: {explanation}");
        }
        catch (Exception ex) when (TlsFailureExplainer.IsHandshakeFailure(ex))
        {
            _recorder.TlsFailed(_explainer.HandshakeFailed(ex, certificate));
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _ssl = ssl;
        _recorder.TlsStarted(
            new TlsInfo(ProtocolName(ssl.SslProtocol), ssl.NegotiatedCipherSuite.ToString()),
            _explainer.ClosedRightAfterHandshake(certificate));
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
