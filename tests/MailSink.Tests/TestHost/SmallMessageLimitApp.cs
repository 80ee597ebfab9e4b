namespace MailSink.Tests.TestHost;

/// <summary>MailSink with a 1 MiB message size limit and an in-memory store, for oversize-message tests.</summary>
public sealed class SmallMessageLimitApp() : MailSinkApp(
    dataDirectory: null,
    memory: true,
    settings: new Dictionary<string, string?> { ["Smtp:MaxMessageSize"] = MaxMessageSize.ToString(System.Globalization.CultureInfo.InvariantCulture) })
{
    public const int MaxMessageSize = 1024 * 1024;
}
