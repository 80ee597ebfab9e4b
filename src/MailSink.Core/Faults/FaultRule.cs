namespace MailSink.Faults;

/// <summary>A validated rule, immutable; its spec is kept so the API can show it as it was written.</summary>
internal sealed record FaultRule(
    string Id,
    string Name,
    string? Preset,
    FaultStage Stage,
    FaultMatch Match,
    FaultMatchSpec MatchSpec,
    FaultAction Action,
    double Probability,
    int? Seed,
    int? Count)
{
    /// <summary>The spec the rule was made from, as given: what a shared rule store keeps to make it again elsewhere.</summary>
    public FaultRuleSpec? Spec { get; init; }
}
