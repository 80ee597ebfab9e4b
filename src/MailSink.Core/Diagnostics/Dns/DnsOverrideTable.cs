namespace MailSink.Diagnostics.Dns;

/// <summary>The records of one version of the overrides file, keyed by lower-case name without the trailing dot.</summary>
internal sealed class DnsOverrideTable
{
    public static readonly DnsOverrideTable Empty = new(new Dictionary<string, Dictionary<DnsRecordType, List<string>>>());

    private readonly IReadOnlyDictionary<string, Dictionary<DnsRecordType, List<string>>> _records;

    internal DnsOverrideTable(IReadOnlyDictionary<string, Dictionary<DnsRecordType, List<string>>> records) => _records = records;

    public int Count => _records.Values.Sum(r => r.Values.Sum(v => v.Count));

    /// <summary>Whether the file says anything at all about <paramref name="name"/>.</summary>
    public bool Knows(string name) => _records.ContainsKey(Normalize(name));

    public IReadOnlyList<string> Get(string name, DnsRecordType type) =>
        _records.TryGetValue(Normalize(name), out var byType) && byType.TryGetValue(type, out var values) ? values : [];

    public static string Normalize(string name) => name.Trim().TrimEnd('.').ToLowerInvariant();
}
