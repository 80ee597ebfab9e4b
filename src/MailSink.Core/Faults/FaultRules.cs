using System.Globalization;
using MailSink.Domain;
using Microsoft.Extensions.Options;

namespace MailSink.Faults;

/// <summary>
/// The rules in force, in order. Sessions read an immutable snapshot without locking, so a change made through
/// the API applies from the next command on; changes are serialised. Every change, and every firing, is
/// published as <see cref="FaultRulesChanged"/> (the web inbox's Faults page follows it through the hub) and handed
/// to the <see cref="IFaultRuleStore"/> (with PostgreSQL storage: the database all nodes share, see <see cref="Load"/>).
/// </summary>
internal sealed class FaultRules
{
    private readonly Lock _gate = new();
    private readonly FaultOptions _options;
    private readonly MailboxEvents? _events;
    private readonly IFaultRuleStore _store;
    private ActiveFaultRule[] _rules = [];
    private int _nextId;

    public FaultRules(IOptions<FaultOptions> options, MailboxEvents? events = null, IFaultRuleStore? store = null)
    {
        _options = options.Value;
        _events = events;
        _store = store ?? new InProcessFaultRuleStore();
        for (var i = 0; i < _options.Rules.Count; i++)
        {
            // Validated at start-up (FaultOptionsValidator), so this cannot fail.
            var rule = FaultRuleFactory.Create(_options.Rules[i], _options.Rules[i].ID ?? ConfigId(i), _options, out _);
            if (rule is not null)
            {
                _rules = [.. _rules, new ActiveFaultRule(rule)];
            }
        }

        Configured = _rules.Select(r => r.Rule).ToArray();
    }

    public static string ConfigId(int index) => $"config-{(index + 1).ToString(CultureInfo.InvariantCulture)}";

    public IReadOnlyList<ActiveFaultRule> Snapshot => Volatile.Read(ref _rules);

    public ActiveFaultRule? Find(string id) => Snapshot.FirstOrDefault(r => r.Rule.Id == id);

    /// <summary>The rules from configuration (Faults:Rules), as made at start-up: a shared store seeds itself with them.</summary>
    public IReadOnlyList<FaultRule> Configured { get; private set; } = [];

    /// <summary>Completes once every change made so far is in the shared store (at once without one).</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => _store.FlushAsync(cancellationToken);

    /// <summary>
    /// Takes the rule list another node left in the shared store: the rules in its order, each with the count the
    /// shared counter has. A rule whose spec did not change keeps its state here (greylist triplets, rate windows,
    /// seeded sequence); not handed back to the store.
    /// </summary>
    public void Load(IReadOnlyList<(FaultRule Rule, int Fired)> stored)
    {
        lock (_gate)
        {
            var current = _rules.ToDictionary(r => r.Rule.Id);
            var loaded = new ActiveFaultRule[stored.Count];
            for (var i = 0; i < stored.Count; i++)
            {
                var (rule, fired) = stored[i];
                var active = current.TryGetValue(rule.Id, out var same) && SameSpec(same.Rule, rule) ? same : new ActiveFaultRule(rule);
                active.SyncFired(fired);
                loaded[i] = active;
            }

            Volatile.Write(ref _rules, loaded);
            Changed();
        }
    }
    /// <summary>Adds a rule from a spec; its ID is the spec's or a new one.</summary>
    public ActiveFaultRule? Add(FaultRuleSpec spec, out FaultRuleError? error)
    {
        lock (_gate)
        {
            var id = spec.ID is { Length: > 0 } given ? given : NewId();
            if (_rules.Any(r => r.Rule.Id == id))
            {
                error = new FaultRuleError("ID", $"A rule with the ID '{id}' exists already: PUT /api/v1/faults/{id} replaces it.");
                return null;
            }

            var rule = FaultRuleFactory.Create(spec, id, _options, out error);
            if (rule is null)
            {
                return null;
            }

            var active = new ActiveFaultRule(rule);
            Volatile.Write(ref _rules, [.. _rules, active]);
            Changed(new FaultRuleChange([rule], []));
            return active;
        }
    }

    /// <summary>Replaces the rule with this ID in place (its count starts again); null with no error when there is none.</summary>
    public ActiveFaultRule? Replace(string id, FaultRuleSpec spec, out FaultRuleError? error)
    {
        lock (_gate)
        {
            error = null;
            var index = Array.FindIndex(_rules, r => r.Rule.Id == id);
            if (index < 0)
            {
                return null;
            }

            var rule = FaultRuleFactory.Create(spec, id, _options, out error);
            if (rule is null)
            {
                return null;
            }

            var rules = _rules.ToArray();
            rules[index] = new ActiveFaultRule(rule);
            Volatile.Write(ref _rules, rules);
            Changed(new FaultRuleChange([rule], []));
            return rules[index];
        }
    }

    /// <summary>Adds or replaces a rule built by MailSink itself (magic addresses, Chaos, Jim).</summary>
    public void Put(FaultRule rule, bool keepExisting = false)
    {
        lock (_gate)
        {
            var index = Array.FindIndex(_rules, r => r.Rule.Id == rule.Id);
            if (index >= 0 && keepExisting)
            {
                return;
            }

            var rules = _rules.ToList();
            if (index >= 0)
            {
                rules[index] = new ActiveFaultRule(rule);
            }
            else
            {
                rules.Add(new ActiveFaultRule(rule));
            }

            Volatile.Write(ref _rules, rules.ToArray());
            Changed(new FaultRuleChange([rule], [], keepExisting));
        }
    }

    public bool Remove(string id) => RemoveWhere(r => r.Id == id) > 0;

    public int RemoveWhere(Func<FaultRule, bool> predicate)
    {
        lock (_gate)
        {
            var removed = _rules.Where(r => predicate(r.Rule)).Select(r => r.Rule.Id).ToArray();
            Volatile.Write(ref _rules, _rules.Where(r => !predicate(r.Rule)).ToArray());
            if (removed.Length > 0)
            {
                Changed(new FaultRuleChange([], removed));
            }

            return removed.Length;
        }
    }

    /// <summary>A rule fired: its count changed (a magic address's refusal names no rule in the list and is not counted).</summary>
    public void Fired(string ruleId)
    {
        if (Find(ruleId) is not null)
        {
            _store.Fired(ruleId);
        }

        Changed();
    }

    /// <summary>Called under <see cref="_gate"/>, so the store receives the changes in the order they were made.</summary>
    private void Changed(FaultRuleChange change)
    {
        _store.Changed(change);
        Changed();
    }

    private static bool SameSpec(FaultRule a, FaultRule b) =>
        a.Spec is not null && b.Spec is not null
        && System.Text.Json.JsonSerializer.Serialize(a.Spec) == System.Text.Json.JsonSerializer.Serialize(b.Spec);

    /// <summary>Published outside nothing but the rules' own lock: subscribers only queue the event (Realtime/InboxNotifier).</summary>
    private void Changed() => _events?.Publish(new FaultRulesChanged());

    private string NewId()
    {
        string id;
        do
        {
            id = $"f{Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture)}";
        }
        while (_rules.Any(r => r.Rule.Id == id));

        return id;
    }
}
