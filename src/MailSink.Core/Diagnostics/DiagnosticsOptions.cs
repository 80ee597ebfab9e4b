namespace MailSink.Diagnostics;

/// <summary>Deliverability checks (DKIM, SPF, DMARC, headers) computed for each message. Section "Diagnostics".</summary>
internal sealed class DiagnosticsOptions
{
    public const string SectionName = "Diagnostics";

    /// <summary>Run the checks on every message at ingest. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>"off" (default: nothing leaves the machine; checks that need DNS are "not evaluated") or "on" (the system resolver, 2 s timeout).</summary>
    public string Dns { get; set; } = "off";

    /// <summary>A file of DNS records answered before real DNS, one "name TYPE value" per line (TXT, A, AAAA, MX, PTR, CNAME); reloaded when it changes.</summary>
    public string DnsOverrides { get; set; } = "";

    /// <summary>The address production mail will leave from; SPF is also evaluated for it (the client is usually loopback in development).</summary>
    public string SenderIp { get; set; } = "";

    /// <summary>Longest the checks may hold up the reply to DATA (DNS on can be slow); past it the message is stored without checks. Default 5 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The "host:port" of a SpamAssassin spamd that Mailpit's sa-check asks (spamd's own port is 783); empty (default) means no spam check.</summary>
    public string SpamAssassin { get; set; } = "";

    public bool DnsOn => string.Equals(Dns, "on", StringComparison.OrdinalIgnoreCase);
}
