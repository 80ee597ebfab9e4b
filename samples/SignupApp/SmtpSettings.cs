namespace SignupApp;

/// <summary>Where the app sends mail: the "Smtp" section, or an Aspire connection string <c>smtp://host:port</c>.</summary>
public sealed class SmtpSettings
{
    public const string SectionName = "Smtp";

    public string Host { get; set; } = "localhost";

    public int Port { get; set; } = 25;

    public string From { get; set; } = "welcome@signup.example";

    /// <summary>The "Smtp" section, overridden by ConnectionStrings:mail when an Aspire app host hands one over.</summary>
    public static SmtpSettings Read(IConfiguration configuration)
    {
        var settings = configuration.GetSection(SectionName).Get<SmtpSettings>() ?? new SmtpSettings();
        if (configuration.GetConnectionString("mail") is { Length: > 0 } connectionString)
        {
            var uri = new Uri(connectionString);
            settings.Host = uri.Host;
            settings.Port = uri.Port;
        }

        return settings;
    }
}
