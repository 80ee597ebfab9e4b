using System.Globalization;
using MailSink.Domain;
using Microsoft.Extensions.Options;

namespace MailSink.Faults;

/// <summary>
/// The rules in force, in order. Sessions read an immutable snapshot without locking, so a change made through
/// the API applies from the next command on; changes are serialised. Every change, and every firing, is
/// published as <see cref="FaultRulesChanged"/> (the web inbox's Faults page follows it through the hub).
/// </summary>
internal sealed class FaultRules
{
    private readonly Lock _gate = new();
    private readonly FaultOptions _options;
    private readonly MailboxEvents? _events;
    private ActiveFaultRule[] _rules = [];
    private int _nextId;

    public FaultRules(IOptions<FaultOptions> options, MailboxEvents? events = null)
    {
        _options = options.Value;
        _events = events;
        for (var i = 0; i < _options.Rules.Count; i++)
        {
            // Validated at start-up (FaultOptionsValidator), so this cannot fail.
            var rule = FaultRuleFactory.Create(_options.Rules[i], _options.Rules[i].ID ?? ConfigId(i), _options, out _);
            if (rule is not null)
            {
                _rules = [.. _rules, new ActiveFaultRule(rule)];
            }
        }
    }

    public static string ConfigId(int index) => $"config-{(index + 1).ToString(CultureInfo.InvariantCulture)}";

    public IReadOnlyList<ActiveFaultRule> Snapshot => Volatile.Read(ref _rules);

    public ActiveFaultRule? Find(string id) => Snapshot.FirstOrDefault(r => r.Rule.Id == id);

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
            Changed();
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
            Changed();
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
            Changed();
        }
    }

    public bool Remove(string id) => RemoveWhere(r => r.Id == id) > 0;

    public int RemoveWhere(Func<FaultRule, bool> predicate)
    {
        lock (_gate)
        {
            var kept = _rules.Where(r => !predicate(r.Rule)).ToArray();
            var removed = _rules.Length - kept.Length;
            Volatile.Write(ref _rules, kept);
            if (removed > 0)
            {
                Changed();
            }

            return removed;
        }
    }

    /// <summary>A rule fired: its count changed.</summary>
    public void Fired() => Changed();

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
