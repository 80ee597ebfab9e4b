using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace MailSink.Relay;

/// <summary>Start-up checks of the Relay section; each failure names the option and the value.</summary>
internal sealed class RelayOptionsValidator : IValidateOptions<RelayOptions>
{
    public ValidateOptionsResult Validate(string? name, RelayOptions o)
    {
        var failures = new List<string>();
        Check(failures, "Relay", o.Host, o.Port, o.Tls, o.Auth, o.Username, hostRequired: false);
        if (o.AllowedRecipients.Length > 0)
        {
            try
            {
                _ = new Regex(o.AllowedRecipients, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                failures.Add($"Relay:AllowedRecipients is not a valid regular expression ('{o.AllowedRecipients}'): {ex.Message}");
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < o.Servers.Count; i++)
        {
            var server = o.Servers[i];
            var key = $"Relay:Servers:{i}";
            if (server.Name.Length == 0)
            {
                failures.Add($"{key}:Name is required (a release request names the server by it)");
            }
            else if (!names.Add(server.Name))
            {
                failures.Add($"{key}:Name '{server.Name}' is used by another server");
            }

            Check(failures, key, server.Host, server.Port, server.Tls, server.Mechanism, server.Username, hostRequired: true, authKey: "Mechanism");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, string key, string host, int port, string tls, string auth, string username, bool hostRequired, string authKey = "Auth")
    {
        if (hostRequired && host.Length == 0)
        {
            failures.Add($"{key}:Host is required");
        }

        if (host.Length > 0 && Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            failures.Add($"{key}:Host must be a host name or an IP address, got '{host}'");
        }

        if (port is < 1 or > 65535)
        {
            failures.Add($"{key}:Port must be between 1 and 65535, got {port}");
        }

        if (!RelayNames.TryParseTls(tls, out _))
        {
            failures.Add($"{key}:Tls must be 'none', 'starttls' or 'tls', got '{tls}'");
        }

        if (!RelayNames.TryParseAuth(auth, out var mechanism))
        {
            failures.Add($"{key}:{authKey} must be 'none', 'plain', 'login' or 'cram-md5', got '{auth}'");
        }
        else if (mechanism != RelayAuth.None && username.Length == 0)
        {
            failures.Add($"{key}:Username is required when {key}:{authKey} is '{auth}'");
        }
    }
}
