namespace MailSink.Domain;

/// <summary>What changed in the store. Events carry data so listeners never refetch.</summary>
public abstract record MailboxEvent;

/// <summary>A message was committed (its 250 is about to be sent).</summary>
public sealed record MessageStored(MessageSummary Summary) : MailboxEvent;

/// <summary>Messages were deleted; <paramref name="Ids"/> is null when everything was deleted.</summary>
public sealed record MessagesDeleted(IReadOnlyList<string>? Ids) : MailboxEvent;

/// <summary>Read state or tags changed.</summary>
public sealed record MessageUpdated(string Id, bool Read, IReadOnlyList<string> Tags) : MailboxEvent;

/// <summary>An SMTP session ended and was saved.</summary>
public sealed record SessionClosed(SessionSummary Session) : MailboxEvent;
