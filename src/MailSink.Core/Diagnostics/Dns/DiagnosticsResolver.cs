namespace MailSink.Diagnostics.Dns;

/// <summary>
/// The resolver the checks use. The overrides file answers first; a name it does not hold goes to real DNS when
/// that is on. With DNS off, the overrides file is the whole world (a name it lacks does not exist); with neither,
/// every question is "not evaluated" so no check that needs DNS can pass.
/// PTR questions take the address itself as the name (the overrides file writes "203.0.113.5 PTR host.example").
/// </summary>
internal sealed class DiagnosticsResolver(DnsOverridesFile? overrides, IDnsResolver? system) : IDnsResolver
{
    private readonly DnsOverrideTable? _fixed;

    private DiagnosticsResolver(DnsOverrideTable table, IDnsResolver? system)
        : this((DnsOverridesFile?)null, system) => _fixed = table;

    /// <summary>RFC 1034 section 3.6.2 allows CNAME chains; stop following after this many.</summary>
    private const int MaxCnameHops = 8;

    /// <summary>Whether any question can be answered (an overrides file or real DNS).</summary>
    public bool CanAnswer => overrides is not null || _fixed is not null || system is not null;

    /// <summary>Reads the overrides file's current version once (a stat per message instead of per question).</summary>
    public IDnsResolver Snapshot() => overrides is null ? this : new DiagnosticsResolver(overrides.Current, system);

    public async ValueTask<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        var table = _fixed ?? overrides?.Current;
        for (var hop = 0; table is not null && hop <= MaxCnameHops; hop++)
        {
            var values = table.Get(name, type);
            if (values.Count > 0)
            {
                return DnsAnswer.Of(values);
            }

            var cname = type == DnsRecordType.Cname ? [] : table.Get(name, DnsRecordType.Cname);
            if (cname.Count > 0)
            {
                name = cname[0];
                continue;
            }

            if (table.Knows(name) || system is null)
            {
                return DnsAnswer.NotFound;
            }

            break;
        }

        return system is null ? DnsAnswer.NotEvaluated : await system.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
    }
}
