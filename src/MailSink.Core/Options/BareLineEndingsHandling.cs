namespace MailSink.Options;

/// <summary>What a listener does with a message whose DATA carries a bare CR or LF (RFC 5321 section 2.3.8 allows CRLF only).</summary>
public enum BareLineEndingsHandling
{
    /// <summary>Store the message with an "SMTP smuggling indicator" warning (the default: a sink shows what the app sent).</summary>
    Accept,

    /// <summary>Refuse it with 550 5.6.11 at the end of DATA, as servers hardened against SMTP smuggling do.</summary>
    Reject,
}
