using Microsoft.Extensions.Options;

namespace MailSink.Faults;

/// <summary>
/// Zero-configuration faults in the spirit of Amazon SES's mailbox simulator: a recipient whose local part names
/// a preset at the magic domain (<c>user-unknown@fail.mailsink.test</c>, <c>slow-5s@...</c>) gets a rule of that
/// preset for that exact address, created on first use and listed like any other (ID <c>magic-&lt;preset&gt;</c>).
/// <c>success@</c> is accepted as usual; any other name there is refused with the list of names.
/// </summary>
internal sealed class MagicAddresses(IOptions<FaultOptions> options, FaultRules rules)
{
    public const string RuleIdPrefix = "magic-";

    private readonly FaultOptions _options = options.Value;

    /// <summary>
    /// Makes sure the rule for <paramref name="recipient"/> exists when it is a magic address. Returns a refusal
    /// when the address is at the magic domain but names no usable preset; null otherwise.
    /// </summary>
    public FaultDecision? Prepare(string recipient)
    {
        var at = recipient.LastIndexOf('@');
        if (!_options.MagicAddresses || at <= 0 || !recipient[(at + 1)..].Equals(_options.MagicDomain, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var local = recipient[..at].ToLowerInvariant();
        if (local == "success" || rules.Find(RuleIdPrefix + local) is not null)
        {
            return null;
        }

        var spec = new FaultRuleSpec
        {
            Name = $"magic address {local}@{_options.MagicDomain}",
            Preset = local,
            Match = new FaultMatchSpec { Recipient = $"{local}@{_options.MagicDomain}" },
        };
        var rule = FaultPresets.Find(local) is null ? null : FaultRuleFactory.Create(spec, RuleIdPrefix + local, _options, out _);
        if (rule is null)
        {
            var usable = FaultPresets.All.Select(p => p.Name).Where(n => n is not ("rate-limit" or "slow")).Append("slow-<N>s").Append("success");
            return new FaultDecision("magic", "magic address", FaultActionKind.Reply, $"550 5.1.1 No fault preset '{local}' at {_options.MagicDomain}; use one of: {string.Join(", ", usable)}",
                TimeSpan.Zero, Silent: false, HoldUntilClientLeaves: false, Close: false, Tag: null);
        }

        rules.Put(rule, keepExisting: true);
        return null;
    }
}
