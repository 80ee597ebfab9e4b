namespace MailSink.Domain;

/// <summary>What TLS a session negotiated, as the server saw it.</summary>
internal sealed record TlsInfo(string Protocol, string CipherSuite);
