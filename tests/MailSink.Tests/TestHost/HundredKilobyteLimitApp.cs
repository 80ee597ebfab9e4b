using System.Globalization;

namespace MailSink.Tests.TestHost;

/// <summary>
/// MailSink with issue 13's reproduction limit, <c>--max-message-size 100000</c>, and a 2 MB discard
/// limit (instead of ten times the size) so that going past it stays quick.
/// </summary>
public sealed class HundredKilobyteLimitApp() : MailSinkApp(
    dataDirectory: null,
    memory: true,
    settings: new Dictionary<string, string?>
    {
        ["Smtp:MaxMessageSize"] = MaxMessageSize.ToString(CultureInfo.InvariantCulture),
        ["Smtp:OversizeDiscardLimit"] = OversizeDiscardLimit.ToString(CultureInfo.InvariantCulture),
    })
{
    public const int MaxMessageSize = 100_000;

    public const int OversizeDiscardLimit = 2_000_000;
}
