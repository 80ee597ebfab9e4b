namespace MailSink.Client;

/// <summary>A fault rule in force, as the server shows it, with how many times it fired.</summary>
public sealed record FaultRule
{
    /// <summary>The rule's ID.</summary>
    public string ID { get; init; } = "";

    /// <summary>A label for people.</summary>
    public string Name { get; init; } = "";

    /// <summary>The preset it was made from, if any.</summary>
    public string? Preset { get; init; }

    /// <summary>The stage it fires at.</summary>
    public string Stage { get; init; } = "";

    /// <summary>What it matches.</summary>
    public FaultMatch Match { get; init; } = new();

    /// <summary>What it does.</summary>
    public FaultAction Action { get; init; } = new();

    /// <summary>Chance of firing, in percent.</summary>
    public double Probability { get; init; }

    /// <summary>Seed of the probability roll.</summary>
    public int? Seed { get; init; }

    /// <summary>Most firings, if limited.</summary>
    public int? Count { get; init; }

    /// <summary>How many times it fired.</summary>
    public int Fired { get; init; }
}
