namespace MailSink.Faults;

/// <summary>
/// A fault rule as a person writes it (API body or the <c>Faults:Rules</c> configuration list). Every field is
/// optional: a <see cref="Preset"/> fills in stage and action, and any field given here overrides it.
/// </summary>
internal sealed class FaultRuleSpec
{
    /// <summary>Chosen by the server when empty.</summary>
    public string? ID { get; set; }

    /// <summary>A label for people; defaults to the preset's name.</summary>
    public string? Name { get; set; }

    /// <summary>A rule template: user-unknown, blocked, mailbox-full, greylist, rate-limit, ... (see README).</summary>
    public string? Preset { get; set; }

    /// <summary>connect, ehlo, starttls, auth, mail, rcpt, data or end-of-data.</summary>
    public string? Stage { get; set; }

    /// <summary>What the rule matches (every pattern left out matches anything).</summary>
    public FaultMatchSpec? Match { get; set; }

    /// <summary>What the rule does; a preset's action when left out.</summary>
    public FaultActionSpec? Action { get; set; }

    /// <summary>Chance of firing when the rule matches, in percent (0-100). Default 100.</summary>
    public double? Probability { get; set; }

    /// <summary>Seed for the probability roll, so a run can be repeated exactly. Unset: a fresh random sequence.</summary>
    public int? Seed { get; set; }

    /// <summary>Fire at most this many times, then stay listed but inert. Unset: no limit.</summary>
    public int? Count { get; set; }
}
