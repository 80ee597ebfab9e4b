namespace MailSink.Faults;

/// <summary>Where in an SMTP session a fault rule is asked, in the order a session reaches them.</summary>
internal enum FaultStage
{
    Connect,
    Ehlo,

    /// <summary>RFC 3207: the STARTTLS command, before the 220 that starts the handshake.</summary>
    StartTls,
    Auth,
    Mail,
    Rcpt,
    Data,
    EndOfData,
}
