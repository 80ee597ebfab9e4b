namespace MailSink.Relay;

/// <summary>A release the relay accepted: where it went, to whom, and the relay's reply to the end of DATA.</summary>
internal sealed record RelayResult(string Server, string Sender, IReadOnlyList<string> Recipients, string Reply);
