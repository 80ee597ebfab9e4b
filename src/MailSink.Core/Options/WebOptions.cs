namespace MailSink.Options;

/// <summary>The HTTP API and web inbox. Section "Web".</summary>
public sealed class WebOptions
{
    /// <summary>The configuration section these options are bound from: "Web".</summary>
    public const string SectionName = "Web";

    /// <summary>HTTP port for the API and UI; 0 picks a free one. Default 8025 (as MailHog and Mailpit).</summary>
    public int HttpPort { get; set; } = 8025;

    /// <summary>Extra origins allowed to open the real-time hub (the UI's own origin is always allowed).</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>
    /// An htpasswd-style file of web UI and API users, one 'user:password' a line: a bcrypt hash (htpasswd -B)
    /// or a plain password. When set, the UI, the API and the hub need HTTP Basic credentials (or Web:ApiToken);
    /// /livez and /readyz stay open, SMTP is not affected. Default: none (no authentication).
    /// </summary>
    public string HtpasswdFile { get; set; } = "";

    /// <summary>
    /// A secret of at least 16 characters that API clients send as 'Authorization: Bearer TOKEN' (or, for the hub
    /// only, as ?access_token=TOKEN). When set, the UI, the API and the hub need it (or Web:HtpasswdFile
    /// credentials). Default: none (no authentication).
    /// </summary>
    public string ApiToken { get; set; } = "";

    /// <summary>Whether the UI and API require credentials.</summary>
    public bool RequiresAuthentication => HtpasswdFile.Length > 0 || ApiToken.Length > 0;
}
