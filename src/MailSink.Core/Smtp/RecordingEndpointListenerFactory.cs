using MailSink.Faults;
using MailSink.Options;
using SmtpServer;
using SmtpServer.Net;

namespace MailSink.Smtp;

/// <summary>Hands SmtpServer the sockets <see cref="SmtpListenerBinder"/> already bound, one per endpoint definition.</summary>
internal sealed class RecordingEndpointListenerFactory(
    IReadOnlyDictionary<IEndpointDefinition, BoundListener> listeners,
    SessionRecorderFactory recorders,
    ActiveSessions active,
    SmtpShutdown shutdown,
    TlsFailureExplainer explainer,
    TimeProvider time,
    SmtpOptions options,
    FaultHooks faults) : IEndpointListenerFactory
{
    public IEndpointListener CreateListener(IEndpointDefinition endpointDefinition) =>
        new RecordingEndpointListener(listeners[endpointDefinition], recorders, active, shutdown, explainer, time, options.MaxConnections, faults);
}
