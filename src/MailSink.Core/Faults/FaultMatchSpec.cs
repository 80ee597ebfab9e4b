namespace MailSink.Faults;

/// <summary>
/// What a rule matches; every pattern left out matches anything. A pattern is a glob (<c>*@bounce.example</c>,
/// <c>?</c> for one character, case-insensitive) or a regular expression between slashes (<c>/^a.+@x\.test$/</c>).
/// </summary>
internal sealed class FaultMatchSpec
{
    /// <summary>MAIL FROM address (known from the mail stage on; the null sender is the empty string).</summary>
    public string? Sender { get; set; }

    /// <summary>RCPT TO address: the recipient being added at rcpt, any of the transaction's at data and end-of-data.</summary>
    public string? Recipient { get; set; }

    /// <summary>The client's IP address as text (127.0.0.1, ::1).</summary>
    public string? ClientAddress { get; set; }

    /// <summary>The user name given in AUTH (known from the auth stage on).</summary>
    public string? AuthUser { get; set; }

    /// <summary>The name given in EHLO or HELO (known from the ehlo stage on).</summary>
    public string? Helo { get; set; }

    /// <summary>Listener name: smtp, submission or smtps.</summary>
    public string? Listener { get; set; }
}
