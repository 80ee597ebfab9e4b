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
    public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken)
    {
        if (size > maxMessageSize)
        {
            throw new SmtpResponseException(new SmtpResponse(SmtpReplyCode.SizeLimitExceeded, $"5.3.4 Message size {size} exceeds the limit of {maxMessageSize} bytes"));
        }

        return Task.FromResult(true);
    }

    public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken)
    {
        if (context.Properties.TryGetValue(SessionRecorder.PropertyKey, out var value) && value is SessionRecorder recorder
            && recorder.RecipientCount > maxRecipients)
        {
            throw new SmtpResponseException(new SmtpResponse(SmtpReplyCode.InsufficientStorage, $"4.5.3 Too many recipients (at most {maxRecipients})"));
        }

        return Task.FromResult(true);
    }
}
