using SmtpServer;
using SmtpServer.Authentication;

namespace MailSink.Smtp;

/// <summary>A sink accepts any credentials (the contract); the user name is recorded, the password never is.</summary>
internal sealed class AcceptAllAuthenticator : IUserAuthenticator
{
    public Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken)
    {
        if (context.Properties.TryGetValue(SessionRecorder.PropertyKey, out var value) && value is SessionRecorder recorder)
        {
            recorder.Authenticated(user);
        }

        return Task.FromResult(true);
    }
}
