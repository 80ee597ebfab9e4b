using System.Net;
using MailSink.Domain;
using MailSink.Smtp;
using MailSink.Storage;
using Microsoft.Extensions.Options;
using SmtpServer;
using SmtpServer.Storage;

namespace MailSink.Faults;

/// <summary>
/// Everything Smtp/ needs from Faults/, in one place: wrap the server's filter and store, answer AUTH's question,
/// watch a session's commands, and wrap a new connection's stream. Smtp asks; Faults answers.
/// </summary>
internal sealed class FaultHooks(FaultEvaluator evaluator, IOptions<FaultOptions> options, IMailStore store, MessageIdGenerator ids)
{
    public static IMailboxFilter Filter(IMailboxFilter inner) => new FaultingMailboxFilter(inner);

    public IMessageStore Store(IMessageStore inner) => new FaultingMessageStore(inner, store, ids);

    /// <summary>Called when SmtpServer creates the session (its command events exist from then on).</summary>
    public static void SessionCreated(ISessionContext context) => FaultCommandHook.Attach(context);

    /// <summary>
    /// Called when a connection is accepted, before the greeting: asks the connect-stage rules and returns what
    /// wraps each stream of the connection (the plain one and, after STARTTLS, the TLS one).
    /// </summary>
    public Func<Stream, Stream> Connected(ISessionContext context, SessionRecorder recorder, string listener, IPEndPoint remote)
    {
        var address = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
        var faults = new SessionFaults(evaluator, recorder, address.ToString(), listener, options.Value.TimeoutHold);
        context.Properties[SessionFaults.PropertyKey] = faults;

        // AUTH is answered on the wire (Smtp/AuthExchange), never by the library: a rule with a reply refuses the
        // credentials there; any other action (delay, close, hold) stays armed for FaultStream as at every stage.
        recorder.AuthRefusal = user =>
            faults.Ask(FaultStage.Auth, user) is { Kind: not FaultActionKind.Delay, Reply: { } reply } ? reply : null;
        faults.Ask(FaultStage.Connect, authUser: null);
        return stream => new FaultStream(stream, faults);
    }
}
