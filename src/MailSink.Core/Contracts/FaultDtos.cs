using MailSink.Faults;

namespace MailSink.Contracts;

/// <summary>A rule's action as the API shows it; fields the kind does not use are null.</summary>
internal sealed record FaultActionDto(
    string Kind,
    int? Code,
    string? EnhancedCode,
    string? Text,
    double DelaySeconds,
    bool CloseAfterReply,
    string? Tag,
    double? RetryAfterSeconds,
    int? Limit);

/// <summary>A fault rule with how many times it fired.</summary>
internal sealed record FaultRuleDto(
    string ID,
    string Name,
    string? Preset,
    string Stage,
    FaultMatchSpec Match,
    FaultActionDto Action,
    double Probability,
    int? Seed,
    int? Count,
    int Fired)
{
    internal static FaultRuleDto From(ActiveFaultRule active)
    {
        var r = active.Rule;
        var a = r.Action;
        return new FaultRuleDto(
            r.Id,
            r.Name,
            r.Preset,
            r.Stage.Name(),
            r.MatchSpec,
            new FaultActionDto(a.Kind.Name(), a.Code, a.EnhancedCode, a.Text, a.Delay.TotalSeconds, a.CloseAfterReply, a.Tag, a.RetryAfter?.TotalSeconds, a.Limit),
            r.Probability,
            r.Seed,
            r.Count,
            active.Fired);
    }
}

/// <summary>A preset as GET /api/v1/faults/presets lists it: its stage, its action kind and what it does.</summary>
internal sealed record FaultPresetDto(string Name, string Stage, string Kind, string Description)
{
    internal static FaultPresetDto From(FaultPreset preset) =>
        new(preset.Name, preset.Stage.Name(), preset.Kind.Name(), preset.Describe());
}
