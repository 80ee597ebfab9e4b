namespace MailSink.Smtp;

/// <summary>A listener that could not bind its port, and why (for the start-up banner and /api/v1/info readers).</summary>
internal sealed record ListenerBindFailure(string Name, int Port, string Reason);
