using SmtpServer;
using SmtpServer.Authentication;

namespace MailSink.Faults;

/// <summary>
/// Asks the rules at AUTH, with the user name the client gave, before the server's own authenticator. A fault
/// refuses the credentials; the library's 535 is then replaced by the rule's reply.
/// </summary>
internal sealed class FaultingAuthenticator(IUserAuthenticator inner) : IUserAuthenticator
{
    public async Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken)
    {
        if (FaultingMailboxFilter.SessionFaultsOf(context) is { } faults
            && faults.Ask(FaultStage.Auth, user) is { } fault && FaultingMailboxFilter.Refuses(fault))
        {
            return false;
        }

        return await inner.AuthenticateAsync(context, user, password, cancellationToken).ConfigureAwait(false);
    }
}
