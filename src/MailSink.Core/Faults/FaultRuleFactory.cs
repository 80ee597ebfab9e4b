using System.Text.RegularExpressions;
using MailSink.Domain;

namespace MailSink.Faults;

/// <summary>
/// Turns a <see cref="FaultRuleSpec"/> into a <see cref="FaultRule"/>: the preset fills the gaps, the fields given
/// win, and the first thing that cannot work is reported by field name.
/// </summary>
internal static partial class FaultRuleFactory
{
    private const double MaxDelaySeconds = 3600;

    public static FaultRule? Create(FaultRuleSpec spec, string id, FaultOptions options, out FaultRuleError? error)
    {
        error = Validate(spec, id, options, out var rule);
        return error is null ? rule : null;
    }

    private static FaultRuleError? Validate(FaultRuleSpec spec, string id, FaultOptions options, out FaultRule? rule)
    {
        rule = null;
        if (!RuleId().IsMatch(id))
        {
            return new("ID", $"'{id}' is not a usable rule ID: use 1-64 letters, digits, '.', '_' or '-'.");
        }

        FaultPreset? preset = null;
        if (spec.Preset is { Length: > 0 } presetName && (preset = FaultPresets.Find(presetName)) is null)
        {
            return new("Preset", $"There is no preset '{presetName}'. Presets: {FaultPresets.Names}.");
        }

        var a = spec.Action ?? new FaultActionSpec();
        FaultActionKind kind;
        if (a.Kind is { Length: > 0 } kindName)
        {
            if (!FaultActionKindNames.TryParse(kindName, out kind))
            {
                return new("Action.Kind", $"There is no action '{kindName}'. Actions: {FaultActionKindNames.All}.");
            }
        }
        else if (preset is not null)
        {
            kind = preset.Kind;
        }
        else
        {
            return new("Action.Kind", $"Give a Preset ({FaultPresets.Names}) or an Action.Kind ({FaultActionKindNames.All}).");
        }

        if (BuildMatch(spec.Match ?? new FaultMatchSpec(), out var match) is { } matchError)
        {
            return matchError;
        }

        if (ResolveStage(spec, preset, kind, spec.Match, out var stage) is { } stageError)
        {
            return stageError;
        }

        if (BuildAction(a, kind, preset, options, id, out var action) is { } actionError)
        {
            return actionError;
        }

        if (spec.Probability is { } p && (double.IsNaN(p) || p < 0 || p > 100))
        {
            return new("Probability", $"{p} is not a percentage: use 0-100 (100, the default, fires every time).");
        }

        if (spec.Count is { } count && count < 1)
        {
            return new("Count", $"{count} is not a count of firings: use 1 or more, or leave it out for no limit.");
        }

        rule = new FaultRule(
            id,
            spec.Name is { Length: > 0 } name ? name : preset?.Name ?? kind.Name(),
            preset?.Name,
            stage,
            match,
            spec.Match ?? new FaultMatchSpec(),
            action!,
            spec.Probability ?? 100,
            spec.Seed,
            spec.Count)
        {
            Spec = spec,
        };
        return null;
    }

    private static FaultRuleError? ResolveStage(FaultRuleSpec spec, FaultPreset? preset, FaultActionKind kind, FaultMatchSpec? m, out FaultStage stage)
    {
        // The stage by which every fact the rule matches on is known.
        var (needed, field) = m is null ? (FaultStage.Connect, "")
            : m.Recipient is { Length: > 0 } ? (FaultStage.Rcpt, "Match.Recipient")
            : m.Sender is not null ? (FaultStage.Mail, "Match.Sender")
            : m.AuthUser is { Length: > 0 } ? (FaultStage.Auth, "Match.AuthUser")
            : m.Helo is { Length: > 0 } ? (FaultStage.Ehlo, "Match.Helo")
            : (FaultStage.Connect, "");
        if (spec.Stage is { Length: > 0 } stageName)
        {
            if (!FaultStageNames.TryParse(stageName, out stage))
            {
                return new("Stage", $"There is no stage '{stageName}'. Stages: {FaultStageNames.All}.");
            }

            if (stage < needed)
            {
                return new(field, $"{field} is not known yet at stage '{stage.Name()}': use {needed.Name()} or a later stage.");
            }
        }
        else
        {
            var natural = preset?.Stage ?? kind switch
            {
                FaultActionKind.Greylist => FaultStage.Rcpt,
                FaultActionKind.RateLimit => FaultStage.Mail,
                FaultActionKind.Drop or FaultActionKind.Tag => FaultStage.EndOfData,
                _ => needed,
            };

            // A preset that usually fires earlier moves to where its match can be decided ("blocked" for a recipient fires at rcpt).
            stage = natural < needed ? needed : natural;
        }

        var (only, why) = kind switch
        {
            FaultActionKind.Greylist => (FaultStage.Rcpt, "greylisting decides per sender/recipient/client triplet"),
            FaultActionKind.RateLimit => (FaultStage.Mail, "the rate counts messages as they start"),
            FaultActionKind.Drop or FaultActionKind.Tag => (FaultStage.EndOfData, "only a whole message can be dropped or tagged"),
            _ => (stage, ""),
        };
        return stage == only ? null : new("Stage", $"A {kind.Name()} rule works at stage '{only.Name()}' only ({why}), not '{stage.Name()}'.");
    }

    private static FaultRuleError? BuildMatch(FaultMatchSpec spec, out FaultMatch match)
    {
        match = FaultMatch.Any;
        var patterns = new FaultPattern?[6];
        var fields = new (string Field, string? Text)[]
        {
            ("Match.Sender", spec.Sender), ("Match.Recipient", spec.Recipient), ("Match.ClientAddress", spec.ClientAddress),
            ("Match.AuthUser", spec.AuthUser), ("Match.Helo", spec.Helo), ("Match.Listener", spec.Listener),
        };
        for (var i = 0; i < fields.Length; i++)
        {
            // An empty Sender pattern is meaningful (the null sender, MAIL FROM:<>); elsewhere empty means "anything".
            if (fields[i].Text is not { } text || (text.Length == 0 && i != 0))
            {
                continue;
            }

            patterns[i] = FaultPattern.TryCreate(text, out var error);
            if (patterns[i] is null)
            {
                return new(fields[i].Field, error!);
            }
        }

        match = new FaultMatch(patterns[0], patterns[1], patterns[2], patterns[3], patterns[4], patterns[5]);
        return null;
    }

    private static FaultRuleError? BuildAction(FaultActionSpec a, FaultActionKind kind, FaultPreset? preset, FaultOptions options, string id, out FaultAction? action)
    {
        action = null;
        var same = preset?.Kind == kind ? preset : null;
        var sendsReply = kind is FaultActionKind.Reply or FaultActionKind.Greylist or FaultActionKind.RateLimit;
        var code = a.Code ?? same?.Code ?? kind switch
        {
            FaultActionKind.Greylist => 451,
            FaultActionKind.RateLimit => 421,
            _ => (int?)null,
        };
        if (sendsReply && code is not (>= 400 and <= 599))
        {
            return new("Action.Code", code is null
                ? "A reply needs a Code (400-599)."
                : $"{code} is not a failure reply: use 400-599 (a rule that accepts is a delay, drop or tag rule).");
        }

        var enhanced = a.EnhancedCode ?? (a.Code is null ? same?.EnhancedCode : null);
        if (sendsReply && enhanced is { Length: > 0 } && (!EnhancedCode().IsMatch(enhanced) || enhanced[0] != code!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)[0]))
        {
            return new("Action.EnhancedCode", $"'{enhanced}' is not an RFC 3463 code of class {code / 100} (like {code / 100}.1.1).");
        }

        var text = a.Text ?? (a.Code is null ? same?.Text : null) ?? (sendsReply ? $"Refused by MailSink fault rule {id}" : null);
        if (text is not null && (text.Contains('\r') || text.Contains('\n')))
        {
            return new("Action.Text", "The reply text must be one line (no CR or LF).");
        }

        var delay = a.DelaySeconds ?? same?.DelaySeconds ?? 0;
        if (double.IsNaN(delay) || delay < 0 || delay > MaxDelaySeconds)
        {
            return new("Action.DelaySeconds", $"{delay} is not a usable delay: use 0-{MaxDelaySeconds} seconds.");
        }

        if (kind == FaultActionKind.Delay && delay <= 0)
        {
            return new("Action.DelaySeconds", "A delay rule needs DelaySeconds above 0.");
        }

        if (kind == FaultActionKind.Tag && string.IsNullOrWhiteSpace(a.Tag))
        {
            return new("Action.Tag", "A tag rule needs the Tag to add.");
        }

        if (kind == FaultActionKind.Tag && TagNames.Clean(a.Tag).Length == 0)
        {
            return new("Action.Tag", $"\"{a.Tag}\" has nothing left as a tag name: use letters, digits, spaces, '-', '_', '.' or '@'.");
        }

        var retryAfter = a.RetryAfterSeconds ?? options.GreylistDelay.TotalSeconds;
        if (kind == FaultActionKind.Greylist && (double.IsNaN(retryAfter) || retryAfter < 0 || retryAfter > 86_400))
        {
            return new("Action.RetryAfterSeconds", $"{retryAfter} is not a usable greylisting delay: use 0-86400 seconds.");
        }

        var limit = a.Limit ?? same?.Limit ?? (kind == FaultActionKind.RateLimit ? 10 : null);
        if (kind == FaultActionKind.RateLimit && limit < 1)
        {
            return new("Action.Limit", $"{limit} is not a rate: use 1 or more messages per minute.");
        }

        action = new FaultAction(
            kind,
            sendsReply ? code : null,
            sendsReply && enhanced is { Length: > 0 } ? enhanced : null,
            sendsReply ? text : null,
            TimeSpan.FromSeconds(delay),
            a.CloseAfterReply ?? same?.CloseAfterReply ?? false,
            kind == FaultActionKind.Tag ? TagNames.Clean(a.Tag) : null,
            kind == FaultActionKind.Greylist ? TimeSpan.FromSeconds(retryAfter) : null,
            kind == FaultActionKind.RateLimit ? limit : null);
        return null;
    }

    [GeneratedRegex(@"^[245]\.[0-9]{1,3}\.[0-9]{1,3}$")]
    private static partial Regex EnhancedCode();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex RuleId();
}
