namespace MailSink.Domain;

/// <summary>The SMTP envelope of one transaction and the connection it arrived on.</summary>
internal sealed class Envelope
{
    /// <summary>The MAIL FROM address; empty for the null reverse-path (bounces).</summary>
    public string MailFrom { get; set; } = "";

    /// <summary>MAIL FROM parameters (SIZE, BODY, SMTPUTF8, ...), keys upper-case.</summary>
    public Dictionary<string, string> MailParameters { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public List<string> RcptTo { get; set; } = [];
    public string Helo { get; set; } = "";
    public string ClientAddress { get; set; } = "";
    public int ClientPort { get; set; }
    public string ServerAddress { get; set; } = "";
    public int ServerPort { get; set; }

    /// <summary>Listener name: smtp, submission or smtps.</summary>
    public string Listener { get; set; } = "";
    public TlsInfo? Tls { get; set; }

    /// <summary>The user name the client authenticated as; never the password.</summary>
    public string? AuthUser { get; set; }
}
