namespace MailSink.Options;

/// <summary>Where MailSink listens and what it calls itself. Section "Server".</summary>
public sealed class ServerOptions
{
    /// <summary>The configuration section these options are bound from: "Server".</summary>
    public const string SectionName = "Server";

    /// <summary>
    /// Addresses every listener (SMTP and HTTP) binds to, comma separated. Default loopback only
    /// (127.0.0.1 and ::1) so a developer's inbox is not open to the network; "0.0.0.0" or "*" opens it.
    /// </summary>
    public string Bind { get; set; } = "127.0.0.1,::1";

    /// <summary>Host name used in the greeting, the Received header and the self-signed certificate. Default: the machine name.</summary>
    public string Hostname { get; set; } = "";

    /// <summary>Folder for the database and the generated certificate. Default: the user's local app data folder + "MailSink".</summary>
    public string DataDirectory { get; set; } = "";
}
