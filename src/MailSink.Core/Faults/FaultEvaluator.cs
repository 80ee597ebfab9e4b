namespace MailSink.Faults;

/// <summary>Answers "does a fault fire here?" for a session: the first rule in order that fires wins.</summary>
internal sealed class FaultEvaluator(FaultRules rules, MagicAddresses magic, [FromKeyedServices(FaultsServiceCollectionExtensions.TimeKey)] TimeProvider time)
{
    public TimeProvider Time => time;

    public FaultDecision? Evaluate(FaultFacts facts)
    {
        if (facts.Stage == FaultStage.Rcpt && facts.Recipients is [var recipient] && magic.Prepare(recipient) is { } refusal)
        {
            rules.Fired(refusal.RuleId);
            return refusal;
        }

        var now = time.GetUtcNow();
        foreach (var rule in rules.Snapshot)
        {
            if (rule.TryFire(facts, now) is { } decision)
            {
                rules.Fired(decision.RuleId);
                return decision;
            }
        }

        return null;
    }
}
