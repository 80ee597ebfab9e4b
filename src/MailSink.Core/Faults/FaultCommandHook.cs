using SmtpServer;
using SmtpServer.Protocol;

namespace MailSink.Faults;

/// <summary>
/// Asks the rules at EHLO/HELO, STARTTLS and DATA, which have no filter hook in SmtpServer: a fault throws from the
/// library's CommandExecuting event, which stops the command and makes the library write an error reply (replaced
/// by the rule's in <see cref="FaultStream"/>). Delays need no exception: the stream holds the reply.
/// </summary>
internal static class FaultCommandHook
{
    public static void Attach(ISessionContext context) => context.CommandExecuting += OnCommandExecuting;

    private static void OnCommandExecuting(object? sender, SmtpCommandEventArgs e)
    {
        if (FaultingMailboxFilter.SessionFaultsOf(e.Context) is not { } faults)
        {
            return;
        }

        FaultDecision? fault;
        switch (e.Command)
        {
            case EhloCommand ehlo:
                faults.Helo(ehlo.DomainOrAddress);
                fault = faults.Ask(FaultStage.Ehlo, e.Context.Authentication.User);
                break;
            case HeloCommand helo:
                faults.Helo(helo.DomainOrAddress);
                fault = faults.Ask(FaultStage.Ehlo, e.Context.Authentication.User);
                break;
            case StartTlsCommand:
                // Refused here, the library never answers 220 nor starts the handshake: the session goes on in
                // plain text, as after a real server's 454 4.7.0 (RFC 3207 section 4).
                fault = faults.Ask(FaultStage.StartTls, e.Context.Authentication.User);
                break;
            case DataCommand:
                fault = faults.Ask(FaultStage.Data, e.Context.Authentication.User);
                break;
            default:
                return;
        }

        if (fault is not null && FaultingMailboxFilter.Refuses(fault))
        {
            throw new SmtpResponseException(new SmtpResponse(SmtpReplyCode.TransactionFailed, fault.Reply ?? ""));
        }
    }
}
