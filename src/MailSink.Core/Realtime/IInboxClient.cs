using MailSink.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace MailSink.Realtime;

/// <summary>
/// Server-to-browser calls on <c>/hubs/inbox</c>. The wire names are camelCase as the API contract
/// says; <see cref="HubMethodNameAttribute"/> on a client interface sets them (dotnet/aspnetcore#23614),
/// which matters for the .NET client, whose handler lookup is case-sensitive.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "VSTHRD200", Justification = "A SignalR typed client: the methods are the hub's wire calls, named as SignalR's own samples name them.")]
internal interface IInboxClient
{
    /// <summary>One or more messages were stored, in the order they were accepted.</summary>
    [HubMethodName("messageReceived")]
    Task MessageReceived(IReadOnlyList<MessageSummaryDto> messages);

    /// <summary>Messages were deleted; null means everything was deleted.</summary>
    [HubMethodName("messagesDeleted")]
    Task MessagesDeleted(IReadOnlyList<string>? ids);

    /// <summary>Read state or tags of one message changed.</summary>
    [HubMethodName("messageUpdated")]
    Task MessageUpdated(HubMessageUpdate update);

    /// <summary>An SMTP session ended and was saved.</summary>
    [HubMethodName("sessionClosed")]
    Task SessionClosed(SessionSummaryDto session);

    /// <summary>Fault rules changed or fired: every rule as GET /api/v1/faults lists it, with its count.</summary>
    [HubMethodName("faultsChanged")]
    Task FaultsChanged(IReadOnlyList<FaultRuleDto> rules);

    /// <summary>Store counts for the unread badge; sent at most four times a second.</summary>
    [HubMethodName("stats")]
    Task Stats(HubStats stats);
}
