using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace MailSink.Smtp;

/// <summary>
/// Accepts every sender and recipient, within limits: a declared SIZE over the maximum is refused at
/// MAIL (RFC 1870 section 6.1: 552 5.3.4) and recipients beyond the cap get 452 4.5.3 (RFC 5321 section 4.5.3.1.10).
/// </summary>
internal sealed class LimitsMailboxFilter(int maxMessageSize, int maxRecipients) : IMailboxFilter
{
    /// <summary>Recipients accepted in the current transaction, in the session's properties.</summary>
    private const string AcceptedRecipientsKey = "MailSink:AcceptedRecipients";

    public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken)
    {
        if (size > maxMessageSize)
        {
            throw new SmtpResponseException(new SmtpResponse(SmtpReplyCode.SizeLimitExceeded, $"5.3.4 Message size {size} exceeds the limit of {maxMessageSize} bytes"));
        }

        // MAIL starts a new transaction (RFC 5321 section 4.1.1.2), so the recipient count starts again.
        context.Properties[AcceptedRecipientsKey] = 0;
        return Task.FromResult(true);
    }

    public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken)
    {
        // Counted here, as SmtpServer processes each RCPT: the wire runs ahead of the library under
        // pipelining, so counting RCPT lines read refused recipients the client had not yet been told about.
        var accepted = context.Properties.TryGetValue(AcceptedRecipientsKey, out var value) && value is int n ? n : 0;
        if (accepted < maxRecipients)
        {
            context.Properties[AcceptedRecipientsKey] = accepted + 1;
            return Task.FromResult(true);
        }

        // Refused by returning false (the library then answers 550, which is replaced on the wire), not
        // by throwing: SmtpServer counts every thrown SmtpResponseException as a bad command and closes
        // after five, but RFC 5321 section 4.5.3.1.10 expects the client to go on to DATA.
        context.Recorder()?.ReplaceReplyToCurrentCommand($"452 4.5.3 Too many recipients (at most {maxRecipients})");

        return Task.FromResult(false);
    }
}
