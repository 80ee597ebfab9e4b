namespace MailSink.Faults;

/// <summary>
/// Where changes to the fault rules and their firings go besides this process's memory. The default
/// (<see cref="InProcessFaultRuleStore"/>) keeps nothing: the rules live and die with the process, as with LiteDB and
/// memory storage. With PostgreSQL storage the rules and their counts live in the database, so a rule added through
/// one node fires on every node (Storage/Postgres/PostgresFaultRuleStore).
/// </summary>
/// <remarks>
/// <see cref="FaultRules"/> calls <see cref="Changed"/> and <see cref="Fired"/> under its own lock and on the SMTP
/// path: they must only queue the work. <see cref="FlushAsync"/> is what waits for it.
/// </remarks>
internal interface IFaultRuleStore
{
    /// <summary>Rules were added or replaced (their counts start again) and/or removed, in this order.</summary>
    void Changed(FaultRuleChange change);

    /// <summary>The rule <paramref name="ruleId"/> fired once more on this node.</summary>
    void Fired(string ruleId);

    /// <summary>A setting changed at runtime (Mailpit's Chaos, MailHog's Jim) as the API shows it; null: back to its default.</summary>
    void SettingChanged(string key, string? json);

    /// <summary>Completes once every change queued before the call is stored; throws when it could not be.</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}

/// <summary>
/// One change to the rule list. <paramref name="KeepExisting"/>: an upserted rule whose ID exists already is left as it
/// is (a magic address's rule made on first use by two nodes at once).
/// </summary>
internal sealed record FaultRuleChange(IReadOnlyList<FaultRule> Upserted, IReadOnlyList<string> Removed, bool KeepExisting = false);
