namespace MailSink.Relay;

/// <summary>A named outgoing server, as in MailHog's outgoing-smtp JSON file.</summary>
public sealed class RelayServerOptions
{
    /// <summary>The name a release request gives to use this server.</summary>
    public string Name { get; set; } = "";

    /// <summary>The server's host name or address.</summary>
    public string Host { get; set; } = "";

    /// <summary>The server's port. Default 25.</summary>
    public int Port { get; set; } = 25;

    /// <summary>The recipient used when a request names this server and no email of its own.</summary>
    public string Email { get; set; } = "";

    /// <summary>"none" (default), "starttls" or "tls".</summary>
    public string Tls { get; set; } = "none";

    /// <summary>Accept any certificate from this server. Default false.</summary>
    public bool AllowInsecure { get; set; }

    /// <summary>"none" (default), "plain", "login" or "cram-md5" (MailHog's PLAIN, CRAMMD5 are accepted too).</summary>
    public string Mechanism { get; set; } = "none";

    /// <summary>The user name for the mechanism.</summary>
    public string Username { get; set; } = "";

    /// <summary>The password for the mechanism.</summary>
    public string Password { get; set; } = "";
}
