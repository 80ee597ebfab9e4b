namespace MailSink.Diagnostics.Dns;

/// <summary>The record types the checks ask for (and the overrides file may hold).</summary>
internal enum DnsRecordType
{
    Txt,
    A,
    Aaaa,
    Mx,
    Ptr,
    Cname,
}
