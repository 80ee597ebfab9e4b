using MailSink.Diagnostics.Dns;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;

namespace MailSink.Diagnostics.Dkim;

/// <summary>
/// MimeKit's key locator over MailSink's resolver (overrides file, then real DNS when on). One per message:
/// <see cref="FindAsync"/> caches each lookup so MimeKit's own call is answered without asking again.
/// </summary>
internal sealed class DkimKeyLocator(IDnsResolver resolver) : DkimPublicKeyLocatorBase
{
    private readonly Dictionary<string, DkimKeyLookup> _found = new(StringComparer.OrdinalIgnoreCase);

    public async Task<DkimKeyLookup> FindAsync(string domain, string selector, CancellationToken cancellationToken)
    {
        var name = $"{selector}._domainkey.{domain}";
        if (_found.TryGetValue(name, out var cached))
        {
            return cached;
        }

        var answer = await resolver.QueryAsync(name, DnsRecordType.Txt, cancellationToken).ConfigureAwait(false);
        var lookup = answer.Status switch
        {
            DnsStatus.NotEvaluated => new DkimKeyLookup(DkimKeyStatus.NotEvaluated, null, null, "DNS is off"),
            DnsStatus.Failed => new DkimKeyLookup(DkimKeyStatus.DnsFailed, null, null, "the DNS query failed"),
            DnsStatus.NotFound => new DkimKeyLookup(DkimKeyStatus.NoKey, null, null, "no TXT record"),
            _ => Parse(answer.Values),
        };
        _found[name] = lookup;
        return lookup;
    }

    /// <summary>RFC 6376 section 3.6.1: the record is a tag list; an empty p= means the key was revoked.</summary>
    private static DkimKeyLookup Parse(IReadOnlyList<string> records)
    {
        // A name may hold other TXT records too; the key record is the one with p= (v=DKIM1 is optional).
        var record = records.FirstOrDefault(r => DkimTags.Parse(r).ContainsKey("p"));
        if (record is null)
        {
            return new DkimKeyLookup(DkimKeyStatus.NoKey, null, null, "no TXT record with a p= tag");
        }

        if (DkimTags.Parse(record)["p"].Length == 0)
        {
            return new DkimKeyLookup(DkimKeyStatus.Revoked, null, null, "p= is empty");
        }

        try
        {
            var key = GetPublicKey(record);
            var bits = key is RsaKeyParameters rsa ? rsa.Modulus.BitLength : (int?)null;
            return new DkimKeyLookup(DkimKeyStatus.Found, key, bits, "");
        }
        catch (Exception ex) when (ex is MimeKit.ParseException or FormatException or ArgumentException or InvalidCastException)
        {
            return new DkimKeyLookup(DkimKeyStatus.Malformed, null, null, ex.Message);
        }
    }

    public override async Task<Org.BouncyCastle.Crypto.AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
    {
        var lookup = await FindAsync(domain, selector, cancellationToken).ConfigureAwait(false);
        return lookup.Key ?? throw new InvalidOperationException($"No usable DKIM key at {selector}._domainkey.{domain}: {lookup.Detail}");
    }

    /// <summary>MimeKit's synchronous path is never used: the checker calls <see cref="FindAsync"/> first, so this only reads the cache.</summary>
    public override Org.BouncyCastle.Crypto.AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        _found.TryGetValue($"{selector}._domainkey.{domain}", out var lookup) && lookup.Key is not null
            ? lookup.Key
            : throw new InvalidOperationException($"No DKIM key was looked up for {selector}._domainkey.{domain}; use the asynchronous path.");
}
