namespace MailSink.Domain;

/// <summary>A decoded mailbox: display name (may be empty) and address.</summary>
public sealed record EmailAddress(string Name, string Address);
