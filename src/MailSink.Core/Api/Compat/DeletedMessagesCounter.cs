using MailSink.Domain;

namespace MailSink.Api.Compat;

/// <summary>Messages deleted since start-up (by the API, the inbox or retention), for Mailpit's RuntimeStats.MessagesDeleted.</summary>
internal sealed class DeletedMessagesCounter : IDisposable
{
    private readonly IDisposable _subscription;
    private long _deleted;

    public DeletedMessagesCounter(MailboxEvents events) =>
        _subscription = events.Subscribe(e =>
        {
            if (e is MessagesDeleted deleted)
            {
                Interlocked.Add(ref _deleted, deleted.Count);
            }
        });

    public long Deleted => Interlocked.Read(ref _deleted);

    public void Dispose() => _subscription.Dispose();
}
