using System.Globalization;
using System.Text.RegularExpressions;

namespace MailSink.Faults;

/// <summary>
/// The failures developers meet, each a rule template. Codes follow RFC 5321 and the enhanced codes RFC 3463;
/// texts are what large providers say, shortened.
/// </summary>
internal static partial class FaultPresets
{
    public static readonly IReadOnlyList<FaultPreset> All =
    [
        new("user-unknown", FaultStage.Rcpt, FaultActionKind.Reply, 550, "5.1.1", "User unknown: no such mailbox"),
        new("blocked", FaultStage.Mail, FaultActionKind.Reply, 550, "5.7.1", "Message refused by policy: sender blocked"),
        new("mailbox-full", FaultStage.Rcpt, FaultActionKind.Reply, 452, "4.2.2", "Mailbox full, try again later"),
        new("mailbox-full-permanent", FaultStage.Rcpt, FaultActionKind.Reply, 552, "5.2.2", "Mailbox full: over quota"),

        // RFC 6647 section 2.1: a temporary failure the first time a triplet is seen.
        new("greylist", FaultStage.Rcpt, FaultActionKind.Greylist, 451, "4.7.1", "Greylisted, please try again later"),
        new("rate-limit", FaultStage.Mail, FaultActionKind.RateLimit, 421, "4.7.0", "Too many messages from your address, slow down", CloseAfterReply: true, Limit: 10),
        new("auth-failed", FaultStage.Auth, FaultActionKind.Reply, 535, "5.7.8", "Authentication credentials invalid"),
        new("tls-required", FaultStage.Mail, FaultActionKind.Reply, 530, "5.7.0", "Must issue a STARTTLS command first"),

        // RFC 3207 section 4: the reply a server gives STARTTLS when it cannot start TLS now.
        new("tls-unavailable", FaultStage.StartTls, FaultActionKind.Reply, 454, "4.7.0", "TLS not available due to temporary reason"),
        new("too-many-recipients", FaultStage.Rcpt, FaultActionKind.Reply, 452, "4.5.3", "Too many recipients"),
        new("message-too-big", FaultStage.EndOfData, FaultActionKind.Reply, 552, "5.3.4", "Message size exceeds fixed maximum message size"),
        new("service-unavailable", FaultStage.Connect, FaultActionKind.Reply, 421, "4.3.2", "Service not available, closing transmission channel", CloseAfterReply: true),

        // The final reply is where slow servers are slow (content scanning) and where a client's
        // timeout makes it send the message twice.
        new("timeout", FaultStage.EndOfData, FaultActionKind.Timeout),
        new("disconnect-in-data", FaultStage.EndOfData, FaultActionKind.Close),
        new("slow", FaultStage.EndOfData, FaultActionKind.Delay, DelaySeconds: 5),
    ];

    private static readonly Dictionary<string, FaultPreset> ByName = All.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    public static string Names => string.Join(", ", All.Select(p => p.Name).Append("slow-<N>s"));

    /// <summary>A preset by name; <c>slow-5s</c> is <c>slow</c> with a 5 s delay (1-600 s).</summary>
    public static FaultPreset? Find(string? name)
    {
        if (name is null)
        {
            return null;
        }

        if (ByName.TryGetValue(name, out var preset))
        {
            return preset;
        }

        var slow = SlowName().Match(name);
        return slow.Success && int.TryParse(slow.Groups["s"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 600
            ? ByName["slow"] with { Name = name.ToLowerInvariant(), DelaySeconds = seconds }
            : null;
    }

    [GeneratedRegex("^slow-(?<s>[0-9]{1,3})s$", RegexOptions.IgnoreCase)]
    private static partial Regex SlowName();
}
