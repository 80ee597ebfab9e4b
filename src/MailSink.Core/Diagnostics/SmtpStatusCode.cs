namespace MailSink.Diagnostics;

/// <summary>One SMTP reply code ("550") or enhanced status code ("X.1.1", any class) with its meaning and the usual fix.</summary>
internal sealed record SmtpStatusCode(string Code, string Kind, string Meaning, string Fix, string Rfc);
