using DnsClient;
using DnsClient.Protocol;

namespace MailSink.Diagnostics.Dns;

/// <summary>
/// Real DNS through the system's name servers (Diagnostics:Dns=on), via DnsClient: 2 s timeout, answers cached
/// for their TTL by the library.
/// </summary>
internal sealed class SystemDnsResolver : IDnsResolver
{
    private readonly LookupClient _client = new(new LookupClientOptions
    {
        Timeout = TimeSpan.FromSeconds(2),
        Retries = 1,
        UseCache = true,
        ThrowDnsErrors = false,
        ContinueOnDnsError = false,
    });

    public async ValueTask<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = type == DnsRecordType.Ptr && System.Net.IPAddress.TryParse(name, out var address)
                ? await _client.QueryReverseAsync(address, cancellationToken).ConfigureAwait(false)
                : await _client.QueryAsync(name, ToQueryType(type), QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DnsResponseException or System.Net.Sockets.SocketException)
        {
            return DnsAnswer.Failed;
        }

        if (response.HasError)
        {
            return response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain ? DnsAnswer.NotFound : DnsAnswer.Failed;
        }

        var values = new List<string>();
        foreach (var record in response.Answers)
        {
            switch (record)
            {
                case TxtRecord txt when type == DnsRecordType.Txt: values.Add(string.Concat(txt.Text)); break;
                case ARecord a when type == DnsRecordType.A: values.Add(a.Address.ToString()); break;
                case AaaaRecord aaaa when type == DnsRecordType.Aaaa: values.Add(aaaa.Address.ToString()); break;
                case MxRecord mx when type == DnsRecordType.Mx: values.Add($"{mx.Preference} {mx.Exchange.Value.TrimEnd('.')}"); break;
                case PtrRecord ptr when type == DnsRecordType.Ptr: values.Add(ptr.PtrDomainName.Value.TrimEnd('.')); break;
                case CNameRecord cname when type == DnsRecordType.Cname: values.Add(cname.CanonicalName.Value.TrimEnd('.')); break;
            }
        }

        return DnsAnswer.Of(values);
    }

    private static QueryType ToQueryType(DnsRecordType type) => type switch
    {
        DnsRecordType.Txt => QueryType.TXT,
        DnsRecordType.A => QueryType.A,
        DnsRecordType.Aaaa => QueryType.AAAA,
        DnsRecordType.Mx => QueryType.MX,
        DnsRecordType.Ptr => QueryType.PTR,
        _ => QueryType.CNAME,
    };
}
