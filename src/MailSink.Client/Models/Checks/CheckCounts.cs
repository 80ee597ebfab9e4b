namespace MailSink.Client;

/// <summary>How many findings a message has per severity.</summary>
public sealed record CheckCounts
{
    /// <summary>Findings a real receiver would reject, junk or fail authentication for.</summary>
    public int Error { get; init; }

    /// <summary>Legal but risky findings.</summary>
    public int Warning { get; init; }

    /// <summary>Information only.</summary>
    public int Info { get; init; }

    /// <summary>Checks that were evaluated and passed.</summary>
    public int Pass { get; init; }
}
