using System.Text.Json;
using Microsoft.Extensions.Options;

namespace MailSink.Faults;

/// <summary>
/// Mailpit's Chaos and MailHog's Jim, kept as those tools show them and carried out as ordinary fault rules
/// (IDs <c>chaos-*</c> and <c>jim-*</c>, listed in /api/v1/faults with how often they fired). The settings as shown
/// go to the <see cref="IFaultRuleStore"/> too (keys <see cref="ChaosKey"/> and <see cref="JimKey"/>), so every node
/// on a shared PostgreSQL database shows what one node set; the rules travel as rules.
/// </summary>
internal sealed class FaultCompatState(FaultRules rules, IOptions<FaultOptions> options, IFaultRuleStore? store = null)
{
    public const string ChaosKey = "chaos";
    public const string JimKey = "jim";

    private static readonly FaultStage[] JimDisconnectStages = [FaultStage.Ehlo, FaultStage.Mail, FaultStage.Rcpt, FaultStage.Data];
    private readonly Lock _gate = new();
    private ChaosTriggers _chaos = ChaosDefaults(new ChaosTriggers());
    private JimSettings? _jim;

    public ChaosTriggers Chaos
    {
        get
        {
            lock (_gate)
            {
                return _chaos;
            }
        }
    }

    public JimSettings? Jim
    {
        get
        {
            lock (_gate)
            {
                return _jim;
            }
        }
    }

    /// <summary>Validates and applies Chaos triggers; returns the field at fault and why, or null.</summary>
    public FaultRuleError? SetChaos(ChaosTriggers triggers)
    {
        triggers = ChaosDefaults(triggers);
        foreach (var (name, trigger) in Named(triggers))
        {
            if (trigger.ErrorCode is < 400 or > 599)
            {
                return new($"{name}.ErrorCode", $"{trigger.ErrorCode} is not an error code: use 400-599.");
            }

            if (trigger.Probability is < 0 or > 100)
            {
                return new($"{name}.Probability", $"{trigger.Probability} is not a percentage: use 0-100.");
            }
        }

        lock (_gate)
        {
            _chaos = triggers;
            store?.SettingChanged(ChaosKey, JsonSerializer.Serialize(triggers));
            rules.RemoveWhere(r => r.Id.StartsWith("chaos-", StringComparison.Ordinal));
            foreach (var (name, trigger) in Named(triggers).Where(t => t.Trigger.Probability > 0))
            {
                var stage = name switch { "Sender" => "mail", "Recipient" => "rcpt", _ => "auth" };

                // Mailpit's words: "<code> Chaos <trigger> error".
                Put($"chaos-{name.ToLowerInvariant()}", $"Mailpit Chaos {name}", stage, new FaultActionSpec { Kind = "reply", Code = trigger.ErrorCode, Text = $"Chaos {name} error" }, trigger.Probability);
            }
        }

        return null;
    }

    /// <summary>Validates Jim's chances (0-1); returns the field at fault and why, or null.</summary>
    public static FaultRuleError? ValidateJim(JimSettings jim)
    {
        foreach (var (name, chance) in new[]
        {
            (nameof(JimSettings.DisconnectChance), jim.DisconnectChance), (nameof(JimSettings.AcceptChance), jim.AcceptChance),
            (nameof(JimSettings.LinkSpeedAffect), jim.LinkSpeedAffect), (nameof(JimSettings.RejectSenderChance), jim.RejectSenderChance),
            (nameof(JimSettings.RejectRecipientChance), jim.RejectRecipientChance), (nameof(JimSettings.RejectAuthChance), jim.RejectAuthChance),
        })
        {
            if (double.IsNaN(chance) || chance is < 0 or > 1)
            {
                return new(name, $"{chance} is not a chance: use 0-1.");
            }
        }

        return null;
    }

    /// <summary>Turns Jim on or replaces his settings (MailHog's POST and PUT).</summary>
    public void SetJim(JimSettings jim)
    {
        lock (_gate)
        {
            _jim = jim;
            store?.SettingChanged(JimKey, JsonSerializer.Serialize(jim));
            rules.RemoveWhere(r => r.Id.StartsWith("jim-", StringComparison.Ordinal));

            // MailHog refuses the connection at accept with 1 - AcceptChance, rejects MAIL and RCPT and AUTH with 550,
            // and rolls a disconnect after each read; here that roll is made at each command stage.
            Put("jim-accept", "MailHog Jim: refuse connection", "connect", new FaultActionSpec { Kind = "close" }, (1 - jim.AcceptChance) * 100);
            Put("jim-sender", "MailHog Jim: reject sender", "mail", new FaultActionSpec { Kind = "reply", Code = 550, Text = "Invalid sender" }, jim.RejectSenderChance * 100);
            Put("jim-recipient", "MailHog Jim: reject recipient", "rcpt", new FaultActionSpec { Kind = "reply", Code = 550, Text = "Invalid recipient" }, jim.RejectRecipientChance * 100);
            Put("jim-auth", "MailHog Jim: reject authentication", "auth", new FaultActionSpec { Kind = "reply", Code = 550, Text = "Authentication rejected" }, jim.RejectAuthChance * 100);
            foreach (var stage in JimDisconnectStages)
            {
                Put($"jim-disconnect-{stage.Name()}", "MailHog Jim: disconnect", stage.Name(), new FaultActionSpec { Kind = "close" }, jim.DisconnectChance * 100);
            }
        }
    }

    public void DisableJim()
    {
        lock (_gate)
        {
            _jim = null;
            store?.SettingChanged(JimKey, null);
            rules.RemoveWhere(r => r.Id.StartsWith("jim-", StringComparison.Ordinal));
        }
    }

    /// <summary>After every rule was deleted: Jim is off and Chaos is back to its defaults at 0%.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _jim = null;
            _chaos = ChaosDefaults(new ChaosTriggers());
            store?.SettingChanged(JimKey, null);
            store?.SettingChanged(ChaosKey, null);
        }
    }

    /// <summary>
    /// Takes the settings another node stored (null: the default); the rules that carry them out arrive as rules.
    /// Not handed back to the store.
    /// </summary>
    public void Load(string? chaosJson, string? jimJson)
    {
        lock (_gate)
        {
            _chaos = ChaosDefaults(chaosJson is null ? new ChaosTriggers() : JsonSerializer.Deserialize<ChaosTriggers>(chaosJson) ?? new ChaosTriggers());
            _jim = jimJson is null ? null : JsonSerializer.Deserialize<JimSettings>(jimJson);
        }
    }

    private void Put(string id, string name, string stage, FaultActionSpec action, double probability)
    {
        if (probability <= 0)
        {
            return;
        }

        var spec = new FaultRuleSpec { Name = name, Stage = stage, Action = action, Probability = Math.Min(100, probability) };
        if (FaultRuleFactory.Create(spec, id, options.Value, out _) is { } rule)
        {
            rules.Put(rule);
        }
    }

    private static IEnumerable<(string Name, ChaosTrigger Trigger)> Named(ChaosTriggers t) =>
        [("Sender", t.Sender!), ("Recipient", t.Recipient!), ("Authentication", t.Authentication!)];

    /// <summary>Mailpit's defaults: 451 for Sender and Recipient, 535 for Authentication, a code of 0 meaning the default.</summary>
    private static ChaosTriggers ChaosDefaults(ChaosTriggers t) => new()
    {
        Sender = new ChaosTrigger { ErrorCode = t.Sender is { ErrorCode: not 0 } s ? s.ErrorCode : 451, Probability = t.Sender?.Probability ?? 0 },
        Recipient = new ChaosTrigger { ErrorCode = t.Recipient is { ErrorCode: not 0 } r ? r.ErrorCode : 451, Probability = t.Recipient?.Probability ?? 0 },
        Authentication = new ChaosTrigger { ErrorCode = t.Authentication is { ErrorCode: not 0 } a ? a.ErrorCode : 535, Probability = t.Authentication?.Probability ?? 0 },
    };
}
