using MailSink.Options;

namespace MailSink.Smtp;

/// <summary>What one connection may do, enforced on the wire (see <see cref="RecordingStream"/>).</summary>
internal sealed record SessionLimits(
    long MaxMessageSize,
    long OversizeDiscardLimit,
    TimeSpan CommandTimeout,
    TimeSpan DataBlockTimeout,
    TimeSpan DataTimeout,
    int MaxTranscriptLines,
    bool AuthRequiresTls)
{
    /// <summary>No limits: for recorders made outside a listener (tests of the recorder alone).</summary>
    public static SessionLimits None { get; } = new(
        long.MaxValue, long.MaxValue, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan, int.MaxValue, false);

    public static SessionLimits From(SmtpOptions o, ListenerOptions listener) => new(
        o.MaxMessageSize,
        o.OversizeDiscardLimit > 0 ? o.OversizeDiscardLimit : 10L * o.MaxMessageSize,
        o.CommandTimeout,
        o.DataBlockTimeout,
        o.DataTimeout,
        o.MaxTranscriptLines,

        // As SmtpServer's AllowUnsecureAuthentication is set: only a listener that offers TLS can require it.
        listener.AuthRequiresTls && listener.Tls != ListenerTls.None);
}
