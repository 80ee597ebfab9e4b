using System.Net;
using MailSink.Diagnostics.Content;
using MailSink.Diagnostics.Dkim;
using MailSink.Diagnostics.Dmarc;
using MailSink.Diagnostics.Dns;
using MailSink.Diagnostics.Spf;
using MailSink.Domain;
using MimeKit;

namespace MailSink.Diagnostics;

/// <summary>
/// Runs every deliverability check on one message: at ingest (once, stored with the summary) and in
/// <c>mailsink check</c>. Never throws for a bad message: what it cannot read is a finding.
/// </summary>
internal sealed class MessageChecker(IDnsResolver dnsResolver, IPAddress? senderIp, string authservId, TimeProvider time)
{
    /// <param name="data">The message as the client sent it in DATA (without MailSink's Received header): offsets are into it.</param>
    /// <param name="message">The parsed message (the projector's), or null when it could not be parsed.</param>
    /// <param name="summary">The projected summary; its warnings become findings.</param>
    /// <param name="cancellationToken">Stops DNS questions under way.</param>
    public async Task<MessageChecks> CheckAsync(ReadOnlyMemory<byte> data, MimeMessage? message, MessageSummary summary, CancellationToken cancellationToken)
    {
        var resolver = dnsResolver.Snapshot();
        var findings = summary.Warnings.Select(WarningFindings.Of).ToList();
        var checks = new MessageChecks();
        if (message is not null)
        {
            HeaderChecks.Check(message, findings);
            EncodedWordChecks.Check(message, findings);
            checks.Dkim = await DkimChecker.CheckAsync(message, resolver, time.GetUtcNow(), findings, cancellationToken).ConfigureAwait(false);
        }

        BodyChecks.Check(data.Span, summary, findings);
        await EnvelopeChecks.CheckAsync(summary.Envelope, summary, data, resolver, findings, cancellationToken).ConfigureAwait(false);
        checks.Spf = await SpfChecker.CheckAsync(summary.Envelope, senderIp, resolver, findings, cancellationToken).ConfigureAwait(false);
        var singleFrom = message?.From.Mailboxes.Count() == 1 ? summary.From?.Address : null;
        checks.Dmarc = await DmarcChecker.CheckAsync(singleFrom, checks.Dkim, checks.Spf, resolver, findings, cancellationToken).ConfigureAwait(false);
        checks.AuthenticationResults = AuthenticationResultsWriter.Write(authservId, checks.Dkim, checks.Spf, checks.Dmarc);

        // Worst first; a stable sort keeps each area's findings in the order they were made.
        checks.Findings = findings.OrderBy(f => f.Severity).ThenBy(f => f.Area).ToList();
        checks.Counts = FindingCounts.Of(checks.Findings);
        return checks;
    }
}
