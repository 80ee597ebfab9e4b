namespace MailSink.Tests.TestHost;

/// <summary>MailSink with a 1 s TLS handshake timeout and two connection slots per listener, for slot-exhaustion tests.</summary>
public sealed class ShortTlsHandshakeApp() : MailSinkApp(
    dataDirectory: null,
    memory: true,
    settings: new Dictionary<string, string?>
    {
        ["Smtp:TlsHandshakeTimeout"] = "00:00:01",
        ["Smtp:MaxConnections"] = MaxConnections.ToString(System.Globalization.CultureInfo.InvariantCulture),
    })
{
    public const int MaxConnections = 2;

    public static TimeSpan HandshakeTimeout { get; } = TimeSpan.FromSeconds(1);
}
