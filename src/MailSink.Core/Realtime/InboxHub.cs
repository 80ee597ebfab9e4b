using Microsoft.AspNetCore.SignalR;

namespace MailSink.Realtime;

/// <summary>
/// The inbox push channel. Clients only listen: every change comes from <see cref="InboxNotifier"/>,
/// so the hub itself has no methods a browser can call.
/// </summary>
internal sealed class InboxHub : Hub<IInboxClient>
{
    public const string Path = "/hubs/inbox";
}
