namespace MailSink.Faults;

/// <summary>
/// MailHog's chaos monkey "Jim" (<c>/api/v2/jim</c>), fields and defaults as in MailHog's monkey/jim.go. Chances are
/// 0-1. The link speed fields are kept and shown but not applied: MailSink does not throttle connections.
/// </summary>
internal sealed class JimSettings
{
    public double DisconnectChance { get; set; }

    public double AcceptChance { get; set; }

    public double LinkSpeedAffect { get; set; }

    public double LinkSpeedMin { get; set; }

    public double LinkSpeedMax { get; set; }

    public double RejectSenderChance { get; set; }

    public double RejectRecipientChance { get; set; }

    public double RejectAuthChance { get; set; }

    /// <summary>What MailHog starts Jim with when enabled without a body.</summary>
    public static JimSettings MailHogDefaults() => new()
    {
        DisconnectChance = 0.005,
        AcceptChance = 0.99,
        LinkSpeedAffect = 0.1,
        LinkSpeedMin = 1024,
        LinkSpeedMax = 10240,
        RejectSenderChance = 0.05,
        RejectRecipientChance = 0.05,
        RejectAuthChance = 0.05,
    };
}
