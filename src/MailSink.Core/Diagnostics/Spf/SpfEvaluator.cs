using System.Net;
using System.Net.Sockets;
using MailSink.Diagnostics.Dns;

namespace MailSink.Diagnostics.Spf;

/// <summary>
/// RFC 7208 check_host() over MailSink's resolver, written against the RFC because ARSoft.Tools.Net's SPF validator
/// brings its own DNS client and cannot be given the overrides file. One instance per evaluation: the lookup
/// counters span the whole include chain (section 4.6.4).
/// </summary>
internal sealed class SpfEvaluator(IDnsResolver resolver, SpfContext context)
{
    /// <summary>RFC 7208 section 4.6.4: more DNS-querying terms than this is a permerror.</summary>
    public const int MaxDnsLookups = 10;

    /// <summary>RFC 7208 section 4.6.4: more lookups with no answer than this is a permerror.</summary>
    public const int MaxVoidLookups = 2;

    private readonly List<string> _includes = [];
    private int _lookups;
    private int _voids;
    private string _topRecord = "";
    private SpfOutcome? _decidingInclude;

    public string TopRecord => _topRecord;

    public async Task<SpfEvaluation> EvaluateAsync(string domain, CancellationToken cancellationToken)
    {
        SpfOutcome outcome;
        try
        {
            outcome = await CheckHostAsync(domain, cancellationToken).ConfigureAwait(false);
        }
        catch (SpfAbort abort)
        {
            outcome = new SpfOutcome(abort.Result, abort.Mechanism, abort.Domain, abort.Message);
        }

        return new SpfEvaluation
        {
            Ip = context.Ip.ToString(),
            Result = outcome.Result,
            Mechanism = outcome.Mechanism,
            DecidedBy = outcome.Domain,
            Reason = outcome.Reason,
            Includes = _includes,
            DnsLookups = _lookups,
            VoidLookups = _voids,
        };
    }

    private async Task<SpfOutcome> CheckHostAsync(string domain, CancellationToken cancellationToken)
    {
        domain = domain.TrimEnd('.').ToLowerInvariant();
        if (!SpfRecordParser.IsValidDomain(domain))
        {
            // Section 4.3: a malformed or single-label domain is "none".
            return new SpfOutcome("none", "", domain, $"'{domain}' is not a valid multi-label domain");
        }

        _includes.Add(domain);
        var (record, failure) = await FetchRecordAsync(domain, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            // The top record's lookup failing (DNS off: every message when Diagnostics:Dns is off) is answered
            // without a throw: an exception through three async frames cost ~40 us a message (issue 12 profile).
            return _includes.Count == 1 ? failure : throw new SpfAbort(failure.Result, failure.Mechanism, failure.Domain, failure.Reason);
        }

        if (record is null)
        {
            return new SpfOutcome("none", "", domain, $"no SPF record at {domain}");
        }

        if (_includes.Count == 1)
        {
            _topRecord = record;
        }

        var terms = SpfRecordParser.Parse(record, domain);
        string? redirect = null;
        foreach (var term in terms)
        {
            if (term.Modifier is "redirect")
            {
                redirect = term.Argument;
                continue;
            }

            if (term.Modifier is not null)
            {
                continue;
            }

            _decidingInclude = null;
            if (await MatchesAsync(term, domain, cancellationToken).ConfigureAwait(false))
            {
                // A matching include reports the directive inside it that passed (the leaf is what a developer edits).
                return _decidingInclude is { } inner && term.Qualifier == '+'
                    ? inner
                    : new SpfOutcome(QualifierResult(term.Qualifier), term.Text, domain);
            }
        }

        if (redirect is null)
        {
            // Section 4.7: no directive matched and no redirect.
            return new SpfOutcome("neutral", "default", domain, "no mechanism matched; the default is neutral");
        }

        Count("redirect=" + redirect, domain);
        var target = Expand(redirect, domain, "redirect=" + redirect);
        var result = await CheckHostAsync(target, cancellationToken).ConfigureAwait(false);
        if (result.Result == "none")
        {
            // Section 6.1: a redirect to a domain without a record is a permerror.
            throw new SpfAbort("permerror", "redirect=" + redirect, domain, $"the redirect target {target} has no SPF record");
        }

        return result;
    }

    /// <summary>The domain's one SPF record, null when it has none, or the outcome that ends the evaluation.</summary>
    private async Task<(string? Record, SpfOutcome? Failure)> FetchRecordAsync(string domain, CancellationToken cancellationToken)
    {
        var answer = await resolver.QueryAsync(domain, DnsRecordType.Txt, cancellationToken).ConfigureAwait(false);
        switch (answer.Status)
        {
            case DnsStatus.NotEvaluated: return (null, new SpfOutcome("not-evaluated", "", domain, "DNS is off and there is no overrides file"));
            case DnsStatus.Failed: return (null, new SpfOutcome("temperror", "", domain, $"the TXT query for {domain} failed"));
            case DnsStatus.NotFound: return (null, null);
        }

        // Section 4.5: records start with exactly "v=spf1" followed by a space or the end.
        var records = answer.Values.Where(v => v.Equals("v=spf1", StringComparison.OrdinalIgnoreCase) || v.StartsWith("v=spf1 ", StringComparison.OrdinalIgnoreCase)).ToList();
        return records.Count switch
        {
            0 => (null, null),
            1 => (records[0], null),
            _ => (null, new SpfOutcome("permerror", "", domain, $"{domain} publishes {records.Count} SPF records; there must be exactly one")),
        };
    }

    private async Task<bool> MatchesAsync(SpfTerm term, string domain, CancellationToken cancellationToken)
    {
        switch (term.Mechanism)
        {
            case "all":
                return true;
            case "ip4" or "ip6":
                return MatchesNetwork(term, domain);
            case "include":
                {
                    Count(term.Text, domain);
                    var target = Expand(term.Argument ?? "", domain, term.Text);
                    var sub = await CheckHostAsync(target, cancellationToken).ConfigureAwait(false);
                    _decidingInclude = sub;
                    return sub.Result switch
                    {
                        "pass" => true,
                        "none" => throw new SpfAbort("permerror", term.Text, domain, $"the included domain {target} has no SPF record"),
                        _ => false,
                    };
                }

            case "a":
                {
                    Count(term.Text, domain);
                    var target = Expand(term.Argument ?? domain, domain, term.Text);
                    var addresses = await AddressesAsync(target, term, domain, countVoid: true, cancellationToken).ConfigureAwait(false);
                    return addresses.Any(a => SpfNetworks.Matches(context.Ip, a, Prefix(term)));
                }

            case "mx":
                {
                    Count(term.Text, domain);
                    var target = Expand(term.Argument ?? domain, domain, term.Text);
                    var exchanges = await QueryAsync(target, DnsRecordType.Mx, term, domain, countVoid: true, cancellationToken).ConfigureAwait(false);
                    if (exchanges.Count > 10)
                    {
                        // Section 4.6.4: an mx term may lead to at most 10 address lookups.
                        throw new SpfAbort("permerror", term.Text, domain, $"{target} has {exchanges.Count} MX records; the limit is 10");
                    }

                    foreach (var exchange in exchanges)
                    {
                        var host = exchange.Split(' ', StringSplitOptions.RemoveEmptyEntries).Last();
                        var addresses = await AddressesAsync(host, term, domain, countVoid: false, cancellationToken).ConfigureAwait(false);
                        if (addresses.Any(a => SpfNetworks.Matches(context.Ip, a, Prefix(term))))
                        {
                            return true;
                        }
                    }

                    return false;
                }

            case "ptr":
                {
                    Count(term.Text, domain);
                    var target = Expand(term.Argument ?? domain, domain, term.Text).ToLowerInvariant();
                    var names = await QueryAsync(context.Ip.ToString(), DnsRecordType.Ptr, term, domain, countVoid: true, cancellationToken).ConfigureAwait(false);
                    foreach (var name in names.Take(10))
                    {
                        var validated = await AddressesAsync(name, term, domain, countVoid: false, cancellationToken).ConfigureAwait(false);
                        if (validated.Any(a => SpfNetworks.Matches(context.Ip, a, SpfNetworks.MaxPrefix(context.Ip)))
                            && (name.Equals(target, StringComparison.OrdinalIgnoreCase) || name.EndsWith("." + target, StringComparison.OrdinalIgnoreCase)))
                        {
                            return true;
                        }
                    }

                    return false;
                }

            default: // exists
                {
                    Count(term.Text, domain);
                    var target = Expand(term.Argument ?? "", domain, term.Text);
                    var found = await QueryAsync(target, DnsRecordType.A, term, domain, countVoid: true, cancellationToken).ConfigureAwait(false);
                    return found.Count > 0;
                }
        }
    }

    private bool MatchesNetwork(SpfTerm term, string domain)
    {
        var text = term.Argument ?? "";
        var slash = text.IndexOf('/');
        var addressText = slash < 0 ? text : text[..slash];
        var family = term.Mechanism == "ip4" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        if (!IPAddress.TryParse(addressText, out var network) || network.AddressFamily != family)
        {
            throw new SpfAbort("permerror", term.Text, domain, $"'{term.Text}' is not a valid {term.Mechanism} network");
        }

        var max = SpfNetworks.MaxPrefix(network);
        var prefix = max;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], out prefix) || prefix < 0 || prefix > max))
        {
            throw new SpfAbort("permerror", term.Text, domain, $"'{term.Text}' has an invalid prefix length");
        }

        return SpfNetworks.Matches(context.Ip, network, prefix);
    }

    private async Task<List<IPAddress>> AddressesAsync(string name, SpfTerm term, string domain, bool countVoid, CancellationToken cancellationToken)
    {
        var type = context.Ip.AddressFamily == AddressFamily.InterNetworkV6 && !context.Ip.IsIPv4MappedToIPv6 ? DnsRecordType.Aaaa : DnsRecordType.A;
        var values = await QueryAsync(name, type, term, domain, countVoid, cancellationToken).ConfigureAwait(false);
        return values.Select(v => IPAddress.TryParse(v, out var a) ? a : null).OfType<IPAddress>().ToList();
    }

    private async Task<IReadOnlyList<string>> QueryAsync(string name, DnsRecordType type, SpfTerm term, string domain, bool countVoid, CancellationToken cancellationToken)
    {
        var answer = await resolver.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
        switch (answer.Status)
        {
            case DnsStatus.NotEvaluated: throw new SpfAbort("not-evaluated", term.Text, domain, "DNS is off and there is no overrides file");
            case DnsStatus.Failed: throw new SpfAbort("temperror", term.Text, domain, $"the {type.ToString().ToUpperInvariant()} query for {name} failed");
            case DnsStatus.NotFound when countVoid && ++_voids > MaxVoidLookups:
                throw new SpfAbort("permerror", term.Text, domain, $"more than {MaxVoidLookups} DNS lookups returned no records (void lookups)");
        }

        return answer.Values;
    }

    private void Count(string mechanism, string domain)
    {
        if (++_lookups > MaxDnsLookups)
        {
            throw new SpfAbort("permerror", mechanism, domain, $"more than {MaxDnsLookups} DNS lookups (include, a, mx, ptr, exists, redirect)");
        }
    }

    private string Expand(string spec, string domain, string mechanism)
    {
        try
        {
            return SpfMacroExpander.Expand(spec, context, domain);
        }
        catch (FormatException ex)
        {
            throw new SpfAbort("permerror", mechanism, domain, $"invalid macro in '{mechanism}': {ex.Message}");
        }
    }

    private int Prefix(SpfTerm term) =>
        context.Ip.AddressFamily == AddressFamily.InterNetworkV6 && !context.Ip.IsIPv4MappedToIPv6 ? term.Prefix6 ?? 128 : term.Prefix4 ?? 32;

    private static string QualifierResult(char qualifier) => qualifier switch
    {
        '-' => "fail",
        '~' => "softfail",
        '?' => "neutral",
        _ => "pass",
    };
}
