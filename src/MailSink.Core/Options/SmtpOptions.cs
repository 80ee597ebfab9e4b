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

    /// <summary>
    /// Largest message accepted, in bytes. A larger one is read to its end without being kept and
    /// answered 552 5.3.4 there, as Postfix does (clients that write the whole message before reading
    /// the reply then see it). Default 50 MiB.
    /// </summary>
    public int MaxMessageSize { get; set; } = 52_428_800;

    /// <summary>
    /// How many bytes of an oversize message are read and thrown away before MailSink gives up,
    /// answers 552 5.3.4 and closes the connection. 0 (the default): ten times <see cref="MaxMessageSize"/>.
    /// </summary>
    public long OversizeDiscardLimit { get; set; }

    /// <summary>Most RCPT TO accepted in one transaction (RFC 5321 section 4.5.3.1.8 asks for at least 100).</summary>
    public int MaxRecipients { get; set; } = 1000;

    /// <summary>How long a connection may sit idle between commands before 421. Default 5 minutes.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Longest the client may take to send one command line once it started it (a line dribbled a
    /// byte at a time); then 421 4.4.2 and the connection is closed. Default 5 minutes, the server
    /// timeout of RFC 5321 section 4.5.3.2.7.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Longest the client may go without sending any DATA content; then 421 4.4.2 and a close.
    /// Default 3 minutes, the data block timeout of RFC 5321 section 4.5.3.2.5.
    /// </summary>
    public TimeSpan DataBlockTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Longest a whole DATA phase may last, from 354 to the final "."; then 421 4.4.2 and a close
    /// (a byte every few seconds would otherwise hold a connection for the whole session).
    /// Default 10 minutes, the DATA termination timeout of RFC 5321 section 4.5.3.2.6.
    /// </summary>
    public TimeSpan DataTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Transcript lines kept per session: the first and the last half of them, with one line saying
    /// how many were left out between (a flood of NOOPs would otherwise grow without bound and outgrow
    /// what storage can save). 100 to 9,000; default 5,000.
    /// </summary>
    public int MaxTranscriptLines { get; set; } = 5000;

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

    /// <summary>
    /// Users whose credentials every listener checks (one without its own Users or UsersFile); wrong ones get
    /// 535 5.7.8. Empty (the default), with an empty <see cref="UsersFile"/>: any credentials are accepted.
    /// </summary>
    public List<SmtpUserOptions> Users { get; set; } = [];

    /// <summary>An htpasswd-style file of users (user:bcrypt-hash as htpasswd -B writes, or user:password, a line); see <see cref="Users"/>.</summary>
    public string UsersFile { get; set; } = "";

    /// <summary>
    /// Failed credential checks from one client address, within <see cref="AuthFailureWindow"/>, after which
    /// further AUTH attempts get 421 4.7.0 and the connection is closed until the window has passed (the
    /// defence against credential stuffing of a real submission server). 0 turns it off. Default 5.
    /// </summary>
    public int AuthFailureLimit { get; set; } = 5;

    /// <summary>The window of <see cref="AuthFailureLimit"/>, which is also the cool-down. Default 5 minutes.</summary>
    public TimeSpan AuthFailureWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Accept (default: stored with an SMTP smuggling warning) or Reject (550 5.6.11) a DATA with bare CR or LF.</summary>
    public BareLineEndingsHandling BareLineEndings { get; set; } = BareLineEndingsHandling.Accept;

    /// <summary>Tag a message from plus-addresses in From, To, Cc and Bcc (user+news@example.com tags it "news"), as Mailpit does. Default true.</summary>
    public bool TagsFromPlusAddresses { get; set; } = true;

    /// <summary>Tag a message from its X-Tags header (comma-separated names), as Mailpit does. Default true.</summary>
    public bool TagsFromXTagsHeader { get; set; } = true;
}
