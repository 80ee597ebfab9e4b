namespace MailSink.Relay;

/// <summary>
/// Release: sending a caught message on to a real SMTP server, only when an API call asks for it. Section "Relay".
/// The default relay (Host, Port, ...) serves Mailpit's release route and the web inbox, as Mailpit's
/// --smtp-relay-* settings do; Servers are MailHog's named outgoing servers (its --outgoing-smtp file).
/// </summary>
public sealed class RelayOptions
{
    /// <summary>The configuration section these options are bound from: "Relay".</summary>
    public const string SectionName = "Relay";

    /// <summary>The default relay's host name or address. Default: none (Mailpit's release route answers that release is not configured).</summary>
    public string Host { get; set; } = "";

    /// <summary>The default relay's port. Default 25.</summary>
    public int Port { get; set; } = 25;

    /// <summary>"none" (default), "starttls" (required, not opportunistic) or "tls" (implicit TLS, as on port 465).</summary>
    public string Tls { get; set; } = "none";

    /// <summary>Accept any certificate from the relay (a test server's self-signed one). Default false.</summary>
    public bool AllowInsecure { get; set; }

    /// <summary>"none" (default), "plain", "login" or "cram-md5".</summary>
    public string Auth { get; set; } = "none";

    /// <summary>The user name for Relay:Auth.</summary>
    public string Username { get; set; } = "";

    /// <summary>The password (or CRAM-MD5 secret) for Relay:Auth.</summary>
    public string Password { get; set; } = "";

    /// <summary>
    /// A regular expression every release recipient must match (Mailpit's allowed-recipients), for example
    /// '@example\.com$'. Default: none (any recipient the request names).
    /// </summary>
    public string AllowedRecipients { get; set; } = "";

    /// <summary>Whether MailHog's release route may name a server of its own (host and port in the request body), as MailHog allows. Default true.</summary>
    public bool AllowRequestServers { get; set; } = true;

    /// <summary>Named servers for MailHog's release route (its "name" field) and GET /api/v2/outgoing-smtp.</summary>
    public List<RelayServerOptions> Servers { get; set; } = [];

    /// <summary>Whether the default relay is configured.</summary>
    internal bool HasDefaultRelay => Host.Length > 0;
}
