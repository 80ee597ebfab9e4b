namespace MailSink.Hosting;

/// <summary>
/// Settings for an in-process <see cref="MailSinkServer"/>. The defaults suit a test suite: every port
/// picked by the OS, loopback only, in-memory storage and a private temporary data folder, so any number
/// of servers can run side by side.
/// </summary>
public sealed class MailSinkServerOptions
{
    /// <summary>Plain SMTP port (no TLS). Default 0: a free port.</summary>
    public int SmtpPort { get; set; }

    /// <summary>Submission port (STARTTLS, AUTH after TLS). Default 0: a free port.</summary>
    public int SubmissionPort { get; set; }

    /// <summary>Implicit-TLS port. Default 0: a free port.</summary>
    public int SmtpsPort { get; set; }

    /// <summary>Whether the submission and SMTPS listeners run at all. Default true.</summary>
    public bool EnableTlsListeners { get; set; } = true;

    /// <summary>HTTP port of the API. Default 0: a free port.</summary>
    public int HttpPort { get; set; }

    /// <summary>Address every listener binds. Default 127.0.0.1.</summary>
    public string Bind { get; set; } = "127.0.0.1";

    /// <summary>"memory" (default) or a LiteDB file path.</summary>
    public string Storage { get; set; } = "memory";

    /// <summary>Folder for the database and the TLS certificate. Default null: a new temporary folder, deleted on dispose.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Host name in the greeting and Received header. Default "localhost".</summary>
    public string Hostname { get; set; } = "localhost";

    /// <summary>Least severe log level written. Default Warning, so test output stays readable.</summary>
    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Warning;

    /// <summary>
    /// Where the server's logs go instead of the console (and debug/event sources), e.g. a provider that writes to
    /// xunit's <c>ITestOutputHelper</c>. Default null: the console. The server does not dispose it.
    /// </summary>
    public ILoggerProvider? LoggerProvider { get; set; }

    /// <summary>Any other configuration key, as on the command line without the dashes (e.g. "Smtp:MaxMessageSize" = "1048576").</summary>
    public IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
}
