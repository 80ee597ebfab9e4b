using System.Globalization;
using Microsoft.Extensions.Options;

namespace MailSink.Faults;

/// <summary>Refuses a bad rule or setting at start-up, naming the configuration key and the value.</summary>
internal sealed class FaultOptionsValidator : IValidateOptions<FaultOptions>
{
    public ValidateOptionsResult Validate(string? name, FaultOptions options)
    {
        var failures = new List<string>();
        if (options.MagicAddresses && !Uri.CheckHostName(options.MagicDomain).Equals(UriHostNameType.Dns))
        {
            failures.Add($"Faults:MagicDomain '{options.MagicDomain}' is not a domain name.");
        }

        if (options.GreylistDelay < TimeSpan.Zero)
        {
            failures.Add($"Faults:GreylistDelay {options.GreylistDelay} must not be negative.");
        }

        if (options.TimeoutHold <= TimeSpan.Zero)
        {
            failures.Add($"Faults:TimeoutHold {options.TimeoutHold} must be above zero.");
        }

        for (var i = 0; i < options.Rules.Count; i++)
        {
            var id = options.Rules[i].ID ?? FaultRules.ConfigId(i);
            if (FaultRuleFactory.Create(options.Rules[i], id, options, out var error) is null)
            {
                failures.Add($"Faults:Rules:{i.ToString(CultureInfo.InvariantCulture)}:{error!.Field.Replace('.', ':')}: {error.Detail}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
