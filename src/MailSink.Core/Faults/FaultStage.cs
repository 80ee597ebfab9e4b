namespace MailSink.Faults;

/// <summary>Where in an SMTP session a fault rule is asked, in the order a session reaches them.</summary>
internal enum FaultStage
{
    Connect,
    Ehlo,
    Auth,
    Mail,
    Rcpt,
    Data,
    EndOfData,
}
