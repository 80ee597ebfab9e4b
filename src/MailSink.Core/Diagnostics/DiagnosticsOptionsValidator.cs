using System.Net;
using MailSink.Diagnostics.Dns;
using Microsoft.Extensions.Options;

namespace MailSink.Diagnostics;

/// <summary>Start-up checks of the Diagnostics section; each failure names the option and the value.</summary>
internal sealed class DiagnosticsOptionsValidator : IValidateOptions<DiagnosticsOptions>
{
    public ValidateOptionsResult Validate(string? name, DiagnosticsOptions o)
    {
        var errors = new List<string>();
        if (!o.Dns.Equals("off", StringComparison.OrdinalIgnoreCase) && !o.Dns.Equals("on", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"Diagnostics:Dns must be 'off' or 'on', got '{o.Dns}'");
        }

        if (o.Timeout < TimeSpan.FromMilliseconds(100) || o.Timeout > TimeSpan.FromMinutes(1))
        {
            errors.Add($"Diagnostics:Timeout must be between 00:00:00.1 and 00:01:00, got {o.Timeout}");
        }

        if (o.SenderIp.Length > 0 && !IPAddress.TryParse(o.SenderIp, out _))
        {
            errors.Add($"Diagnostics:SenderIp (--sender-ip) must be an IPv4 or IPv6 address, got '{o.SenderIp}'");
        }

        if (o.SpamAssassin.Length > 0 && !SpamAssassin.SpamdClient.TryParseAddress(o.SpamAssassin, out _, out _))
        {
            return ValidateOptionsResult.Fail($"Diagnostics:SpamAssassin must be host:port of a spamd (e.g. localhost:783), got '{o.SpamAssassin}'");
        }

        if (o.DnsOverrides.Length > 0)
        {
            if (!File.Exists(o.DnsOverrides))
            {
                errors.Add($"Diagnostics:DnsOverrides (--dns-overrides): file '{o.DnsOverrides}' does not exist");
            }
            else
            {
                try
                {
                    DnsOverridesParser.Parse(File.ReadAllText(o.DnsOverrides));
                }
                catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
                {
                    errors.Add($"Diagnostics:DnsOverrides (--dns-overrides): '{o.DnsOverrides}': {ex.Message}");
                }
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
