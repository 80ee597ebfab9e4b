namespace MailSink.Relay;

/// <summary>Where a release failed: the step of the SMTP conversation with the relay.</summary>
internal enum RelayStage
{
    Connect,
    Tls,
    Authentication,
    Sender,
    Recipient,
    Data,
}

/// <summary>
/// A release that did not go through, with the relay's own reply when it gave one, so the person who asked can
/// tell a refused connection from a refused recipient.
/// </summary>
internal sealed class RelayException(RelayStage stage, RelayTarget target, string detail, int? replyCode = null, Exception? inner = null)
    : Exception(detail, inner)
{
    public RelayStage Stage { get; } = stage;

    public RelayTarget Target { get; } = target;

    /// <summary>The SMTP reply code of the relay's refusal, when the failure was a reply.</summary>
    public int? ReplyCode { get; } = replyCode;
}
