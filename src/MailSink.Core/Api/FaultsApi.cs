using MailSink.Contracts;
using MailSink.Faults;
using MailSink.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSink.Api;

/// <summary>
/// /api/v1/faults: the fault rules in force; a change applies from the next SMTP command. With PostgreSQL storage a
/// change is answered once it is in the database, from where every other node loads it.
/// </summary>
internal static class FaultsApi
{
    internal static Ok<List<FaultRuleDto>> List(FaultRules rules) =>
        TypedResults.Ok(rules.Snapshot.Select(FaultRuleDto.From).ToList());

    /// <summary>The presets a rule can start from (the web inbox's Faults page offers them), with what each does.</summary>
    internal static Ok<List<FaultPresetDto>> Presets() =>
        TypedResults.Ok(FaultPresets.All.Select(FaultPresetDto.From).ToList());

    internal static Results<Ok<FaultRuleDto>, ProblemHttpResult> Get(string id, FaultRules rules) =>
        rules.Find(id) is { } rule ? TypedResults.Ok(FaultRuleDto.From(rule)) : ApiProblems.NotFound("Fault rule", id);

    internal static async Task<Results<Created<FaultRuleDto>, ProblemHttpResult>> AddAsync(FaultRuleSpec spec, FaultRules rules, CancellationToken cancellationToken)
    {
        var added = rules.Add(spec, out var error);
        if (added is null)
        {
            return BadRule(error!);
        }

        return await StoredAsync(rules, cancellationToken) ?? (Results<Created<FaultRuleDto>, ProblemHttpResult>)TypedResults.Created($"/api/v1/faults/{added.Rule.Id}", FaultRuleDto.From(added));
    }

    internal static async Task<Results<Ok<FaultRuleDto>, ProblemHttpResult>> ReplaceAsync(string id, FaultRuleSpec spec, FaultRules rules, CancellationToken cancellationToken)
    {
        if (spec.ID is { Length: > 0 } other && other != id)
        {
            return BadRule(new FaultRuleError("ID", $"The body names rule '{other}' but the URL names '{id}'; leave ID out or make them agree."));
        }

        var replaced = rules.Replace(id, spec, out var error);
        return replaced is not null ? await StoredAsync(rules, cancellationToken) ?? (Results<Ok<FaultRuleDto>, ProblemHttpResult>)TypedResults.Ok(FaultRuleDto.From(replaced))
            : error is not null ? BadRule(error)
            : ApiProblems.NotFound("Fault rule", id);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, FaultRules rules, CancellationToken cancellationToken) =>
        rules.Remove(id) ? await StoredAsync(rules, cancellationToken) ?? (Results<NoContent, ProblemHttpResult>)TypedResults.NoContent() : ApiProblems.NotFound("Fault rule", id);

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAllAsync(FaultRules rules, FaultCompatState compat, CancellationToken cancellationToken)
    {
        rules.RemoveWhere(_ => true);
        compat.Reset();
        return await StoredAsync(rules, cancellationToken) ?? (Results<NoContent, ProblemHttpResult>)TypedResults.NoContent();
    }

    /// <summary>Null once the change is in the shared store (at once without one); a 503 problem when it could not be stored.</summary>
    private static async Task<ProblemHttpResult?> StoredAsync(FaultRules rules, CancellationToken cancellationToken)
    {
        try
        {
            await rules.FlushAsync(cancellationToken);
            return null;
        }
        catch (StoreUnavailableException ex)
        {
            // The change is in force on this node; the others do not see it until the database is back.
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Fault rules not shared",
                detail: $"The change applies on this node but could not be stored for the other nodes: {ex.Message}");
        }
    }

    private static ProblemHttpResult BadRule(FaultRuleError error) => ApiProblems.BadParameter(error.Field, error.Detail);
}
