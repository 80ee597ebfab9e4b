namespace MailSink.Options;

/// <summary>The HTTP API and web inbox. Section "Web".</summary>
public sealed class WebOptions
{
    public const string SectionName = "Web";

    /// <summary>HTTP port for the API and UI; 0 picks a free one. Default 8025 (as MailHog and Mailpit).</summary>
    public int HttpPort { get; set; } = 8025;

    /// <summary>Extra origins allowed to open the real-time hub (the UI's own origin is always allowed).</summary>
    public string[] AllowedOrigins { get; set; } = [];
}
