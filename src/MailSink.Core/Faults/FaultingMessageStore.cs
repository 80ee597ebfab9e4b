using System.Buffers;
using System.Text.RegularExpressions;
using MailSink.Domain;
using MailSink.Storage;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace MailSink.Faults;

/// <summary>
/// Asks the rules at end of data, once the whole message has arrived: a reply or close means the message is not
/// stored; drop answers 250 without storing it; tag stores it and adds the rule's tag to those it came with.
/// </summary>
internal sealed partial class FaultingMessageStore(IMessageStore inner, IMailStore store, MessageIdGenerator ids) : IMessageStore
{
    public async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        if (FaultingMailboxFilter.SessionFaultsOf(context) is not { } faults
            || faults.Ask(FaultStage.EndOfData, context.Authentication.User) is not { } fault)
        {
            return await inner.SaveAsync(context, transaction, buffer, cancellationToken).ConfigureAwait(false);
        }

        switch (fault.Kind)
        {
            case FaultActionKind.Delay:
                return await inner.SaveAsync(context, transaction, buffer, cancellationToken).ConfigureAwait(false);
            case FaultActionKind.Drop:
                // The client must believe the message was delivered: the same words as a stored one, with an ID nobody has.
                return new SmtpResponse(SmtpReplyCode.Ok, $"2.0.0 Ok: queued as {ids.Next()}");
            case FaultActionKind.Tag:
                var response = await inner.SaveAsync(context, transaction, buffer, cancellationToken).ConfigureAwait(false);
                if (response.ReplyCode == SmtpReplyCode.Ok && QueuedAs().Match(response.Message) is { Success: true } queued)
                {
                    await store.AddTagsAsync(queued.Groups["id"].Value, TagNames.Normalize([fault.Tag]), cancellationToken).ConfigureAwait(false);
                }

                return response;
            default:
                // Reply, close or hold: FaultStream puts the rule's reply (or nothing) in place of this one.
                return new SmtpResponse(SmtpReplyCode.TransactionFailed, fault.Reply ?? "");
        }
    }

    [GeneratedRegex(@"queued as (?<id>[0-9A-Z]+)")]
    private static partial Regex QueuedAs();
}
