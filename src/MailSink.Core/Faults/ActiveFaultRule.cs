namespace MailSink.Faults;

/// <summary>A rule in force: the rule, how often it fired, and its random sequence and stateful counters.</summary>
internal sealed class ActiveFaultRule(FaultRule rule)
{
    private readonly Lock _gate = new();
    private readonly Random? _seeded = rule.Seed is { } seed ? new Random(seed) : null;
    private readonly GreylistTriplets _greylist = new();
    private readonly ClientRateWindow _rates = new();
    private int _fired;

    public FaultRule Rule { get; } = rule;

    public int Fired => Volatile.Read(ref _fired);

    /// <summary>
    /// Takes the count other nodes brought the shared counter to (PostgreSQL storage), never lowering this node's own:
    /// a firing of this node that is still on its way to the database is not undone.
    /// </summary>
    public void SyncFired(int shared)
    {
        lock (_gate)
        {
            _fired = Math.Max(_fired, shared);
        }
    }

    /// <summary>
    /// Decides whether the rule fires for these facts and, if so, counts it. Matching, the count, the probability
    /// roll and the greylist or rate state are checked under one lock, so concurrent sessions cannot overshoot a count
    /// and a seeded sequence is consumed in the order the sessions asked.
    /// </summary>
    public FaultDecision? TryFire(FaultFacts facts, DateTimeOffset now)
    {
        if (facts.Stage != Rule.Stage || !Rule.Match.IsMatch(facts))
        {
            return null;
        }

        lock (_gate)
        {
            if (Rule.Count is { } count && _fired >= count)
            {
                return null;
            }

            if (Rule.Probability < 100 && (_seeded ?? Random.Shared).NextDouble() * 100 >= Rule.Probability)
            {
                return null;
            }

            var action = Rule.Action;
            switch (action.Kind)
            {
                case FaultActionKind.Greylist
                    when !_greylist.ShouldDefer(facts.ClientAddress, facts.Sender ?? "", (facts.Recipients.Count > 0 ? facts.Recipients[0] : ""), now, action.RetryAfter ?? TimeSpan.Zero):
                    return null;
                case FaultActionKind.RateLimit when !_rates.Exceeds(facts.ClientAddress, now, action.Limit ?? int.MaxValue):
                    return null;
            }

            _fired++;
            return ToDecision(action);
        }
    }

    private FaultDecision ToDecision(FaultAction action) => action.Kind switch
    {
        FaultActionKind.Delay => new(Rule.Id, Rule.Name, action.Kind, null, action.Delay, Silent: false, HoldUntilClientLeaves: false, Close: false, null),
        FaultActionKind.Close => new(Rule.Id, Rule.Name, action.Kind, null, action.Delay, Silent: true, HoldUntilClientLeaves: false, Close: true, null),
        FaultActionKind.Timeout => new(Rule.Id, Rule.Name, action.Kind, null, action.Delay, Silent: true, HoldUntilClientLeaves: true, Close: true, null),
        FaultActionKind.Drop or FaultActionKind.Tag => new(Rule.Id, Rule.Name, action.Kind, null, action.Delay, Silent: false, HoldUntilClientLeaves: false, Close: false, action.Tag),

        // RFC 5321 section 3.8: a 421 means the server is closing the channel, so it does.
        _ => new(Rule.Id, Rule.Name, action.Kind, action.Reply, action.Delay, Silent: false, HoldUntilClientLeaves: false, Close: action.CloseAfterReply || action.Code == 421, null),
    };
}
