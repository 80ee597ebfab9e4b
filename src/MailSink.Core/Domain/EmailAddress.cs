namespace MailSink.Domain;

/// <summary>A decoded mailbox: display name (may be empty) and address.</summary>
internal sealed record EmailAddress(string Name, string Address);
