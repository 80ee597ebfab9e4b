namespace MailSink.Diagnostics.Dns;

/// <summary>Answers the DNS questions of the checks: the overrides file first, then (when on) real DNS.</summary>
internal interface IDnsResolver
{
    /// <summary>Never throws for DNS trouble: failures are <see cref="DnsStatus.Failed"/>.</summary>
    ValueTask<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken);

    /// <summary>A resolver for the questions about one message: the overrides file is looked at once, not per question.</summary>
    IDnsResolver Snapshot() => this;
}
