namespace MailSink.Domain;

/// <summary>What changed in the store. Events carry data so listeners never refetch.</summary>
internal abstract record MailboxEvent;

/// <summary>A message was committed (its 250 is about to be sent).</summary>
internal sealed record MessageStored(MessageSummary Summary) : MailboxEvent;

/// <summary>Messages were deleted; <paramref name="Ids"/> is null when everything was deleted.</summary>
internal sealed record MessagesDeleted(IReadOnlyList<string>? Ids) : MailboxEvent
{
    /// <summary>How many messages went: the IDs' count, or when everything was deleted, what was there.</summary>
    public int Count { get; init; } = Ids?.Count ?? 0;
}

/// <summary>Read state or tags changed.</summary>
internal sealed record MessageUpdated(string Id, bool Read, IReadOnlyList<string> Tags) : MailboxEvent;

/// <summary>An SMTP session ended and was saved.</summary>
internal sealed record SessionClosed(SessionSummary Session) : MailboxEvent;

/// <summary>Fault rules were added, replaced or removed, or one fired (its count changed).</summary>
internal sealed record FaultRulesChanged : MailboxEvent;
