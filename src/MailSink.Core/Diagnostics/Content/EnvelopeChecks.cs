using System.Net;
using MailSink.Diagnostics.Dns;
using MailSink.Domain;

namespace MailSink.Diagnostics.Content;

/// <summary>SMTP-level checks (RFC 5321, RFC 6531): the EHLO name, envelope versus headers, UTF-8 addresses, DATA line endings.</summary>
internal static class EnvelopeChecks
{
    public static async Task CheckAsync(Envelope envelope, MessageSummary summary, ReadOnlyMemory<byte> data, IDnsResolver resolver, List<Finding> findings, CancellationToken cancellationToken)
    {
        var helo = envelope.Helo.Trim();
        if (helo.Length > 0 && !IsAddressLiteral(helo) && !IsFqdn(helo))
        {
            findings.Add(Finding.Of("smtp.helo-not-fqdn", FindingSeverity.Warning, FindingArea.Smtp, "RFC 5321 section 4.1.1.1",
                $"The EHLO name '{helo}' is neither a fully qualified domain name nor an address literal; many receivers reject or score it. Configure the client to send the host's FQDN."));
        }
        else if (helo.Length > 0 && !IsAddressLiteral(helo) && IPAddress.TryParse(envelope.ClientAddress, out var client))
        {
            await CheckPtrAsync(helo, client, resolver, findings, cancellationToken).ConfigureAwait(false);
        }

        var mailFromDomain = DomainOf(envelope.MailFrom);
        var fromDomain = DomainOf(summary.From?.Address ?? "");
        if (mailFromDomain.Length > 0 && fromDomain.Length > 0 && !mailFromDomain.Equals(fromDomain, StringComparison.OrdinalIgnoreCase))
        {
            findings.Add(Finding.Of("smtp.envelope-from-differs", FindingSeverity.Info, FindingArea.Smtp, "RFC 7489 section 3.1.2",
                $"MAIL FROM is at {mailFromDomain} but From is at {fromDomain}; SPF then cannot align for DMARC, so DKIM must be signed with d={fromDomain} (or a domain under it)."));
        }

        var listed = summary.To.Concat(summary.Cc).Select(a => a.Address).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var blind = envelope.RcptTo.Select(r => r.Trim().Trim('<', '>')).Where(r => r.Length > 0 && !listed.Contains(r)).ToList();
        if (blind.Count > 0)
        {
            findings.Add(Finding.Of("smtp.envelope-only-recipients", FindingSeverity.Info, FindingArea.Smtp, "RFC 5321 section 3.3",
                $"{blind.Count} recipient(s) appear only in the envelope (Bcc): {string.Join(", ", blind.Take(5))}{(blind.Count > 5 ? ", ..." : "")}."));
        }

        var utf8 = envelope.MailParameters.ContainsKey("SMTPUTF8");
        if (!utf8 && new[] { envelope.MailFrom }.Concat(envelope.RcptTo).Any(a => a.Any(c => c > 0x7F)))
        {
            findings.Add(Finding.Of("smtp.utf8-address-without-smtputf8", FindingSeverity.Error, FindingArea.Smtp, "RFC 6531 section 3.4",
                "An envelope address has non-ASCII characters but MAIL FROM did not say SMTPUTF8; receivers reject it. Send SMTPUTF8 or use the punycode (xn--) domain."));
        }

        if (DataSequenceScanner.FindFirst(data.Span) is { } smuggling)
        {
            findings.Add(Finding.Of("smtp.smuggling-sequence", FindingSeverity.Error, FindingArea.Smtp, "RFC 5321 section 4.1.1.4",
                $"DATA holds the sequence {smuggling.Sequence} at byte {smuggling.Offset}: a server that accepts bare CR or LF as a line end would end the message there and read the rest as new commands (SMTP smuggling). Send CRLF line endings only."));
        }
    }

    /// <summary>RFC 5321 section 4.1.4 lets a receiver compare the EHLO name with the client's reverse DNS; many do.</summary>
    private static async Task CheckPtrAsync(string helo, IPAddress client, IDnsResolver resolver, List<Finding> findings, CancellationToken cancellationToken)
    {
        if (IPAddress.IsLoopback(client))
        {
            return;
        }

        var answer = await resolver.QueryAsync(client.ToString(), DnsRecordType.Ptr, cancellationToken).ConfigureAwait(false);
        if (answer.Status == DnsStatus.NotFound)
        {
            findings.Add(Finding.Of("smtp.no-ptr", FindingSeverity.Warning, FindingArea.Smtp, "RFC 5321 section 4.1.4",
                $"The client address {client} has no PTR record; Gmail requires reverse DNS for senders. Ask the address's owner to publish one matching '{helo}'."));
        }
        else if (answer.Status == DnsStatus.Found && !answer.Values.Any(v => v.Equals(helo.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)))
        {
            findings.Add(Finding.Of("smtp.helo-ptr-mismatch", FindingSeverity.Info, FindingArea.Smtp, "RFC 5321 section 4.1.4",
                $"The EHLO name '{helo}' is not the PTR name of {client} ({string.Join(", ", answer.Values)}); make them match."));
        }
    }

    private static string DomainOf(string address)
    {
        var trimmed = address.Trim().Trim('<', '>');
        var at = trimmed.LastIndexOf('@');
        return at < 0 ? "" : trimmed[(at + 1)..].ToLowerInvariant();
    }

    private static bool IsAddressLiteral(string helo) => helo.StartsWith('[') && helo.EndsWith(']');

    private static bool IsFqdn(string name)
    {
        var labels = name.TrimEnd('.').Split('.');
        return labels.Length >= 2 && labels.All(l => l.Length is > 0 and <= 63 && l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c > 0x7F) && l[0] != '-' && l[^1] != '-')
            && !labels[^1].All(char.IsAsciiDigit);
    }
}
