using System.Net;
using MailSink.Domain;
using MailSink.Options;
using Microsoft.Extensions.Options;

namespace MailSink.Smtp;

/// <summary>Creates the recorder of a new connection with its identity filled in.</summary>
internal sealed class SessionRecorderFactory(
    TimeProvider time,
    MessageIdGenerator ids,
    IOptions<SmtpOptions> options,
    SmtpCounters counters,
    SmtpUserDirectory users,
    AuthFailureTracker failures,
    ServerIdentity identity)
{
    /// <summary>
    /// Longest command line accepted. RFC 5321 section 4.5.3.1.4 says 512 octets; AUTH lines with
    /// long tokens (XOAUTH2) need more, so allow 16 KiB and close anything longer.
    /// </summary>
    public const int MaxCommandLineLength = 16 * 1024;

    public SessionRecorder Create(BoundListener listener, IPEndPoint remote, IPEndPoint local)
    {
        var record = new SessionRecord
        {
            Id = ids.Next(),
            StartedAt = time.GetUtcNow(),
            Listener = listener.Name,
            ClientAddress = Normalise(remote.Address),
            ClientPort = remote.Port,
            ServerAddress = Normalise(local.Address),
            ServerPort = local.Port,
        };
        var o = listener.Options;
        var policy = new ListenerPolicy(o.RequireTls, o.RequireAuth, users.For(o), failures, identity.Hostname);
        return new SessionRecorder(record, time, MaxCommandLineLength, SessionLimits.From(options.Value, o), counters, policy);
    }

    private static string Normalise(IPAddress address) =>
        (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
