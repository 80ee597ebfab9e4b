using MailSink.Contracts;
using MailSink.Faults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api;

/// <summary>/api/v1/faults: the fault rules in force; a change applies from the next SMTP command.</summary>
internal static class FaultsApi
{
    internal static Ok<List<FaultRuleDto>> List(FaultRules rules) =>
        TypedResults.Ok(rules.Snapshot.Select(FaultRuleDto.From).ToList());

    /// <summary>The presets a rule can start from (the web inbox's Faults page offers them), with what each does.</summary>
    internal static Ok<List<FaultPresetDto>> Presets() =>
        TypedResults.Ok(FaultPresets.All.Select(FaultPresetDto.From).ToList());

    internal static Results<Ok<FaultRuleDto>, ProblemHttpResult> Get(string id, FaultRules rules) =>
        rules.Find(id) is { } rule ? TypedResults.Ok(FaultRuleDto.From(rule)) : ApiProblems.NotFound("Fault rule", id);

    internal static Results<Created<FaultRuleDto>, ProblemHttpResult> Add(FaultRuleSpec spec, FaultRules rules)
    {
        var added = rules.Add(spec, out var error);
        return added is null ? BadRule(error!) : TypedResults.Created($"/api/v1/faults/{added.Rule.Id}", FaultRuleDto.From(added));
    }

    internal static Results<Ok<FaultRuleDto>, ProblemHttpResult> Replace(string id, FaultRuleSpec spec, FaultRules rules)
    {
        if (spec.ID is { Length: > 0 } other && other != id)
        {
            return BadRule(new FaultRuleError("ID", $"The body names rule '{other}' but the URL names '{id}'; leave ID out or make them agree."));
        }

        var replaced = rules.Replace(id, spec, out var error);
        return replaced is not null ? TypedResults.Ok(FaultRuleDto.From(replaced))
            : error is not null ? BadRule(error)
            : ApiProblems.NotFound("Fault rule", id);
    }

    internal static Results<NoContent, ProblemHttpResult> Delete(string id, FaultRules rules) =>
        rules.Remove(id) ? TypedResults.NoContent() : ApiProblems.NotFound("Fault rule", id);

    internal static NoContent DeleteAll(FaultRules rules, FaultCompatState compat)
    {
        rules.RemoveWhere(_ => true);
        compat.Reset();
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult BadRule(FaultRuleError error) => ApiProblems.BadParameter(error.Field, error.Detail);
}
