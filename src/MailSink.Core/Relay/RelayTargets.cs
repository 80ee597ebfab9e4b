using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace MailSink.Relay;

/// <summary>The configured relays, resolved once from validated <see cref="RelayOptions"/>.</summary>
internal sealed class RelayTargets
{
    private readonly Dictionary<string, (RelayTarget Target, RelayServerOptions Options)> _named = new(StringComparer.Ordinal);

    public RelayTargets(IOptions<RelayOptions> options)
    {
        var o = options.Value;
        AllowRequestServers = o.AllowRequestServers;
        AllowedRecipients = o.AllowedRecipients.Length > 0 ? new Regex(o.AllowedRecipients, RegexOptions.None, TimeSpan.FromSeconds(1)) : null;
        if (o.HasDefaultRelay)
        {
            Default = Create(o.Host, o.Port, o.Tls, o.AllowInsecure, o.Auth, o.Username, o.Password);
        }

        foreach (var server in o.Servers)
        {
            _named[server.Name] = (Create(server.Host, server.Port, server.Tls, server.AllowInsecure, server.Mechanism, server.Username, server.Password), server);
        }
    }

    /// <summary>The relay Mailpit's release route uses, or null when Relay:Host is not set.</summary>
    public RelayTarget? Default { get; }

    /// <summary>Whether MailHog's release route may name its own host and port.</summary>
    public bool AllowRequestServers { get; }

    /// <summary>Every release recipient must match this, when set (Relay:AllowedRecipients).</summary>
    public Regex? AllowedRecipients { get; }

    /// <summary>The named servers (Relay:Servers), in configuration order.</summary>
    public IEnumerable<RelayServerOptions> Servers => _named.Values.Select(v => v.Options);

    public bool TryGetNamed(string name, out RelayTarget target, out RelayServerOptions server)
    {
        var found = _named.TryGetValue(name, out var entry);
        (target, server) = found ? entry : (null!, null!);
        return found;
    }

    /// <summary>Recipients that Relay:AllowedRecipients does not allow (none when it is not set).</summary>
    public IReadOnlyList<string> NotAllowed(IEnumerable<string> recipients) =>
        AllowedRecipients is null ? [] : recipients.Where(r => !AllowedRecipients.IsMatch(r)).ToList();

    /// <summary>Builds a target from already validated strings (options are checked at start-up, requests by the caller).</summary>
    public static RelayTarget Create(string host, int port, string tls, bool allowInsecure, string auth, string username, string password)
    {
        if (!RelayNames.TryParseTls(tls, out var tlsMode) || !RelayNames.TryParseAuth(auth, out var mechanism))
        {
            throw new ArgumentException($"Relay TLS mode \"{tls}\" or mechanism \"{auth}\" was not validated before use.");
        }

        return new RelayTarget(host, port, tlsMode, allowInsecure, mechanism, username, password);
    }
}
