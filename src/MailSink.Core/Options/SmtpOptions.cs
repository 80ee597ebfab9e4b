namespace MailSink.Options;

/// <summary>SMTP listeners and protocol limits. Section "Smtp".</summary>
public sealed class SmtpOptions
{
    /// <summary>The configuration section these options are bound from: "Smtp".</summary>
    public const string SectionName = "Smtp";

    /// <summary>
    /// Plain SMTP, AUTH optional. Default port 1025, no TLS: clients that upgrade whenever STARTTLS is offered
    /// (nodemailer, MailKit's defaults) would otherwise reject the self-signed certificate, and every app's
    /// development settings expect a plain port here (as Mailpit's 1025 is). --Smtp:Smtp:Tls=StartTls offers it again.
    /// </summary>
    public ListenerOptions Smtp { get; set; } = new() { Port = 1025, Tls = ListenerTls.None };

    /// <summary>Submission (RFC 6409): STARTTLS, AUTH after TLS. Default port 587.</summary>
    public ListenerOptions Submission { get; set; } = new() { Port = 587, Tls = ListenerTls.StartTls, AuthRequiresTls = true };

    /// <summary>Implicit TLS submission (RFC 8314). Default port 465.</summary>
    public ListenerOptions Smtps { get; set; } = new() { Port = 465, Tls = ListenerTls.Implicit };

    /// <summary>Largest message accepted, in bytes; larger ones get 552 5.3.4 while streaming. Default 50 MiB.</summary>
    public int MaxMessageSize { get; set; } = 52_428_800;

    /// <summary>Most RCPT TO accepted in one transaction (RFC 5321 section 4.5.3.1.8 asks for at least 100).</summary>
    public int MaxRecipients { get; set; } = 1000;

    /// <summary>How long a connection may sit idle between commands before 421. Default 5 minutes.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest a whole session may last, however active. Default 1 hour.</summary>
    public TimeSpan MaxSessionDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Concurrent connections per listener before new ones are told 421 4.7.0. Default 500.</summary>
    public int MaxConnections { get; set; } = 500;

    /// <summary>
    /// Longest a client may take to complete the TLS handshake (implicit TLS, or after STARTTLS) before it is
    /// closed, so sockets that connect and send nothing cannot hold every connection slot. Default 10 seconds.
    /// </summary>
    public TimeSpan TlsHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>PFX file, or PEM certificate file (with <see cref="TlsKeyPath"/>). Empty: a self-signed one is generated.</summary>
    public string TlsCertificatePath { get; set; } = "";

    /// <summary>PEM private key for a PEM <see cref="TlsCertificatePath"/>.</summary>
    public string TlsKeyPath { get; set; } = "";

    /// <summary>Password of the PFX file, if any.</summary>
    public string TlsCertificatePassword { get; set; } = "";
}
