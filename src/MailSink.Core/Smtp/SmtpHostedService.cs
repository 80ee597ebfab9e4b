using System.Security.Authentication;
using MailSink.Domain;
using MailSink.Faults;
using MailSink.Mime;
using MailSink.Options;
using MailSink.Storage;
using Microsoft.Extensions.Options;
using SmtpServer;
using SmtpServer.Protocol;

namespace MailSink.Smtp;

/// <summary>
/// Runs SmtpServer on the sockets the binder opened, with MailSink's recording pipe, store,
/// authenticator and limits, and saves every session when it ends. Stopping drains first (see
/// <see cref="SmtpShutdown"/>): idle sessions get 421 4.3.2 at once, a DATA in progress gets up to
/// <see cref="DrainTimeout"/> to finish and be stored, and only then is what remains cut off.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The stopping source is never disposed on purpose: session events raised after the host stopped still read it (as SmtpShutdown's).")]
internal sealed partial class SmtpHostedService(
    IOptions<SmtpOptions> smtpOptions,
    SmtpListenerBinder binder,
    CertificateProvider certificates,
    SessionRecorderFactory recorders,
    ActiveSessions active,
    IMailStore store,
    MessageIdGenerator ids,
    SmtpCounters counters,
    ServerIdentity identity,
    TimeProvider time,
    SmtpEndpoints endpoints,
    SmtpShutdown shutdown,
    FaultHooks faults,
    Diagnostics.IngestChecker checker,
    ILogger<SmtpHostedService> logger,
    ILogger<SinkMessageStore> storeLogger) : IHostedService
{
    /// <summary>
    /// How long a message already in DATA may take to arrive once a stop begins. With the cut-off after it,
    /// the whole stop stays under the 10 s a container runtime waits between SIGTERM and SIGKILL (Docker's default).
    /// </summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopping = new();
    private SmtpServer.SmtpServer? _server;
    private IReadOnlyList<BoundListener> _bound = [];
    private Task _running = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = smtpOptions.Value;
        _bound = binder.BindAll();
        var enabled = new[] { o.Smtp, o.Submission, o.Smtps }.Count(l => l.Enabled);
        if (enabled > 0 && _bound.Count == 0)
        {
            throw new InvalidOperationException("No SMTP listener could bind (see the warnings above); nothing would receive mail, so MailSink stops.");
        }

        endpoints.Set(_bound, binder.Failures);
        var needsTls = _bound.Any(b => b.Options.Tls != ListenerTls.None);
        var certificate = needsTls ? certificates.Get() : null;

        var builder = new SmtpServerOptionsBuilder()
            .ServerName(identity.Hostname)

            // The size is advertised (EHLO SIZE, RFC 1870) and checked at MAIL by the library, but enforced
            // on the wire. Strict counts the terminator and read-ahead as content, and DataCommand swallows
            // the 552 it throws: measured, 99,998 to 102,000 content bytes against a 100,000 limit got no
            // reply until the idle timeout (issue 13, defect 2); far over the limit it answers mid-stream
            // and closes, so clients that write the whole message first never read the 552 (defect 3).
            // RecordingStream bounds command lines and passes on at most MaxMessageSize bytes of DATA, so
            // Ignore does not let the library buffer without bound.
            .MaxMessageSize(o.MaxMessageSize, MaxMessageSizeHandling.Ignore)
            .CommandWaitTimeout(o.IdleTimeout)

            // The library's default greeting names its version; ours names MailSink and the host.
            .CustomSmtpGreeting(_ => $"220 {identity.Hostname} ESMTP MailSink ready");

        var definitions = new Dictionary<IEndpointDefinition, BoundListener>();
        foreach (var listener in _bound)
        {
            var endpoint = new EndpointDefinitionBuilder()
                .Endpoint(listener.EndPoint)
                .IsSecure(listener.Options.Tls == ListenerTls.Implicit)
                .AuthenticationRequired(false)
                // RequireTls: AUTH is not advertised before STARTTLS either (RFC 3207 section 4).
                .AllowUnsecureAuthentication((!listener.Options.AuthRequiresTls && !listener.Options.RequireTls) || listener.Options.Tls == ListenerTls.None)

                // The library's default is a 2-minute cap on the whole session, which cuts pooled connections.
                .SessionTimeout(o.MaxSessionDuration)
                .SupportedSslProtocols(SslProtocols.Tls12 | SslProtocols.Tls13);
            if (certificate is not null && listener.Options.Tls != ListenerTls.None)
            {
                endpoint.Certificate(certificate);
            }

            var definition = endpoint.Build();
            builder.Endpoint(definition);
            definitions[definition] = listener;
        }

        var services = new SmtpServer.ComponentModel.ServiceProvider();
        var plainPort = _bound.FirstOrDefault(b => b.Options.Tls == ListenerTls.None)?.EndPoint.Port;
        var explainer = new TlsFailureExplainer(plainPort, o.TlsHandshakeTimeout);
        services.Add(new RecordingEndpointListenerFactory(definitions, recorders, active, shutdown, explainer, time, o, faults));

        // Fault rules (Faults/) are asked first at each stage and wrap the server's own behaviour. No
        // IUserAuthenticator: AUTH never reaches the library (AuthExchange answers it on the wire, and asks the
        // auth-stage rules through SessionRecorder.AuthRefusal).
        services.Add(faults.Store(new SinkMessageStore(store, ids, counters, time, identity.Hostname, o.MaxMessageSize, checker, o.BareLineEndings, MessageTagger.From(o), storeLogger)));
        services.Add(FaultHooks.Filter(new LimitsMailboxFilter(o.MaxMessageSize, o.MaxRecipients)));

        _server = new SmtpServer.SmtpServer(builder.Build(), services);
        _server.SessionCreated += OnSessionCreated;
        _server.SessionCompleted += (_, e) => Finish(e.Context, SessionOutcome.ClientDisconnected, null);
        _server.SessionFaulted += (_, e) => Finish(e.Context, SessionOutcome.ServerError, e.Exception.GetBaseException().Message);
        _server.SessionCancelled += (_, e) => Finish(e.Context, _stopping.IsCancellationRequested ? SessionOutcome.ServerShutdown : SessionOutcome.Timeout, null);
        _running = definitions.Count == 0 ? Task.CompletedTask : _server.StartAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(cancellationToken).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        _server?.Shutdown();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            // Sessions still open are saved below as ended by the shutdown.
        }

        foreach (var recorder in active.All())
        {
            active.Remove(recorder.SessionId);
            var record = recorder.Complete(SessionOutcome.ServerShutdown, null);
            await SaveAsync(record).ConfigureAwait(false);
        }

        foreach (var listener in _bound)
        {
            listener.Socket.Stop();
        }
    }

    /// <summary>Stops accepting, closes idle sessions with 421 4.3.2, and waits a while for the rest to end.</summary>
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        Log.Draining(logger, active.Count);
        await shutdown.BeginDrainAsync().ConfigureAwait(false);
        foreach (var listener in _bound)
        {
            listener.Socket.Stop();
        }

        var waited = time.GetTimestamp();
        while (active.Count > 0 && time.GetElapsedTime(waited) < DrainTimeout && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, CancellationToken.None).ConfigureAwait(false);
        }

        if (active.Count > 0)
        {
            Log.DrainTimedOut(logger, active.Count, DrainTimeout);
        }
    }

    private void OnSessionCreated(object? sender, SessionEventArgs e)
    {
        FaultHooks.SessionCreated(e.Context);
        e.Context.CommandExecuting += (_, c) =>
        {
            if (c.Context.Recorder() is not { } recorder)
            {
                return;
            }

            switch (c.Command)
            {
                case EhloCommand ehlo:
                    recorder.Helo(ehlo.DomainOrAddress);
                    break;
                case HeloCommand helo:
                    recorder.Helo(helo.DomainOrAddress);
                    break;
            }
        };
    }

    private void Finish(ISessionContext context, SessionOutcome outcome, string? error)
    {
        if (context.Recorder() is not { } recorder)
        {
            return;
        }

        var record = recorder.Complete(outcome, error);
        if (record.Outcome == SessionOutcome.TlsFailed)
        {
            Log.TlsFailed(logger, record.Id, record.Listener, record.ServerPort, record.ClientAddress, record.Error ?? "");
        }
        else if (error is not null)
        {
            Log.SessionFaulted(logger, recorder.SessionId, error);
        }

        active.Remove(recorder.SessionId);
        _ = SaveAsync(record);
    }

    private async Task SaveAsync(SessionRecord record)
    {
        try
        {
            await store.SaveSessionAsync(record, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StoreUnavailableException or ObjectDisposedException or InvalidOperationException)
        {
            Log.SessionNotSaved(logger, record.Id, ex.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1301, LogLevel.Warning, "SMTP session {SessionId} failed: {Error}")]
        public static partial void SessionFaulted(ILogger logger, string sessionId, string error);

        [LoggerMessage(1302, LogLevel.Warning, "SMTP session {SessionId} could not be saved: {Error}")]
        public static partial void SessionNotSaved(ILogger logger, string sessionId, string error);

        [LoggerMessage(1303, LogLevel.Information, "SMTP stopping: no new connections; {Open} open sessions are told 421 4.3.2 at their next command")]
        public static partial void Draining(ILogger logger, int open);

        [LoggerMessage(1304, LogLevel.Warning, "SMTP stop: {Open} sessions still open after {Timeout}; closing them")]
        public static partial void DrainTimedOut(ILogger logger, int open, TimeSpan timeout);

        [LoggerMessage(1305, LogLevel.Warning, "SMTP session {SessionId} on {Listener} (port {Port}) from {Client}: {Explanation}")]
        public static partial void TlsFailed(ILogger logger, string sessionId, string listener, int port, string client, string explanation);
    }
}
