namespace MailSink.Options;

/// <summary>How a listener protects the connection.</summary>
public enum ListenerTls
{
    /// <summary>STARTTLS is offered; plain text is allowed.</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465, RFC 8314).</summary>
    Implicit,

    /// <summary>No TLS at all.</summary>
    None,
}

/// <summary>One SMTP listener.</summary>
public sealed class ListenerOptions
{
    /// <summary>false turns this listener off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>TCP port; 0 picks a free one (tests).</summary>
    public int Port { get; set; }

    /// <summary>StartTls (STARTTLS offered, plain text allowed), Implicit (TLS from the first byte) or None (no TLS). Defaults: None on smtp (1025), StartTls on submission (587), Implicit on smtps (465).</summary>
    public ListenerTls Tls { get; set; } = ListenerTls.StartTls;

    /// <summary>When true, AUTH is only offered after STARTTLS (RFC 4954 section 4 advice for submission).</summary>
    public bool AuthRequiresTls { get; set; }

    /// <summary>When true, MAIL and AUTH before STARTTLS get 530 5.7.0 (RFC 3207 section 4). Needs Tls=StartTls or Implicit.</summary>
    public bool RequireTls { get; set; }

    /// <summary>When true, MAIL before a successful AUTH gets 530 5.7.0 Authentication required (RFC 4954 section 6).</summary>
    public bool RequireAuth { get; set; }

    /// <summary>
    /// Users whose credentials this listener checks (wrong ones get 535 5.7.8). Empty, with an empty
    /// <see cref="UsersFile"/>: the Smtp-wide Smtp:Users and Smtp:UsersFile apply.
    /// </summary>
    public List<SmtpUserOptions> Users { get; set; } = [];

    /// <summary>An htpasswd-style file of this listener's users (user:bcrypt-hash or user:password a line); see <see cref="Users"/>.</summary>
    public string UsersFile { get; set; } = "";
}
