using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Storage;

namespace MailSink.Faults;

/// <summary>
/// Asks the rules at MAIL and RCPT before the server's own filter. A fault answers "no" (the reply the library
/// then writes is replaced by the rule's in <see cref="FaultStream"/>): unlike an exception, a refusal does not
/// count as a protocol error, so greylisting ten recipients does not end the session.
/// </summary>
internal sealed class FaultingMailboxFilter(IMailboxFilter inner) : IMailboxFilter
{
    public async Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken)
    {
        if (SessionFaultsOf(context) is not { } faults)
        {
            return await inner.CanAcceptFromAsync(context, from, size, cancellationToken).ConfigureAwait(false);
        }

        faults.MailFrom(AddressOf(from));
        if (faults.Ask(FaultStage.Mail, context.Authentication.User) is { } fault && Refuses(fault))
        {
            return false;
        }

        return await inner.CanAcceptFromAsync(context, from, size, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken)
    {
        if (SessionFaultsOf(context) is not { } faults)
        {
            return await inner.CanDeliverToAsync(context, to, from, cancellationToken).ConfigureAwait(false);
        }

        var recipient = AddressOf(to);
        if (faults.Ask(FaultStage.Rcpt, context.Authentication.User, recipient) is { } fault && Refuses(fault))
        {
            return false;
        }

        var accepted = await inner.CanDeliverToAsync(context, to, from, cancellationToken).ConfigureAwait(false);
        if (accepted)
        {
            faults.RecipientAccepted(recipient);
        }

        return accepted;
    }

    internal static SessionFaults? SessionFaultsOf(ISessionContext context) =>
        context.Properties.TryGetValue(SessionFaults.PropertyKey, out var value) ? value as SessionFaults : null;

    /// <summary>Everything but a delay stops the command: a reply of the rule's, a silent close or a hold.</summary>
    internal static bool Refuses(FaultDecision fault) => fault.Kind != FaultActionKind.Delay;

    private static string AddressOf(IMailbox mailbox) =>
        mailbox is null || mailbox == Mailbox.Empty || string.IsNullOrEmpty(mailbox.User) ? "" : mailbox.AsAddress();
}
