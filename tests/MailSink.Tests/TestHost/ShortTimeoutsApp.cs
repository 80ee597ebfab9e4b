namespace MailSink.Tests.TestHost;

/// <summary>MailSink with second-scale command and DATA timeouts (the defaults are RFC 5321's minutes), for slow-client tests.</summary>
public sealed class ShortTimeoutsApp() : MailSinkApp(
    dataDirectory: null,
    memory: true,
    settings: new Dictionary<string, string?>
    {
        ["Smtp:IdleTimeout"] = "00:00:04",
        ["Smtp:CommandTimeout"] = "00:00:01.5",
        ["Smtp:DataBlockTimeout"] = "00:00:01.5",
        ["Smtp:DataTimeout"] = "00:00:03",
    })
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(4);

    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(1.5);

    public static readonly TimeSpan DataBlockTimeout = TimeSpan.FromSeconds(1.5);

    public static readonly TimeSpan DataTimeout = TimeSpan.FromSeconds(3);
}
