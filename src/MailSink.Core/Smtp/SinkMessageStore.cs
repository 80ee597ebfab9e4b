using System.Buffers;
using MailSink.Diagnostics;
using MailSink.Domain;
using MailSink.Mime;
using MailSink.Options;
using MailSink.Storage;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;

namespace MailSink.Smtp;

/// <summary>
/// SmtpServer's store hook: rebuilds the exact bytes, prepends the Received header, projects the
/// summary once, and answers 250 only after the store committed (451 4.3.0 when it could not).
/// </summary>
internal sealed partial class SinkMessageStore(
    IMailStore store,
    MessageIdGenerator ids,
    SmtpCounters counters,
    TimeProvider time,
    string hostname,
    long maxMessageSize,
    IngestChecker checker,
    BareLineEndingsHandling bareLineEndings,
    MessageTagger tagger,
    ILogger<SinkMessageStore> logger) : SmtpServer.Storage.IMessageStore
{
    /// <summary>
    /// From this size on, the message is handled on the thread pool. A 5 KB message's parse and checks take ~0.2 ms,
    /// about what a hop to the pool costs in wake-ups; this size takes a few milliseconds.
    /// </summary>
    internal const int OffEventThreadBytes = 64 * 1024;

    public async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        var recorder = context.Recorder() ?? throw new InvalidOperationException("The session has no recorder: it was not accepted by a RecordingEndpointListener.");
        if (recorder.LastDataBytes > maxMessageSize)
        {
            // The wire read the whole message and passed on only its first bytes (RecordingStream):
            // answered at the end of DATA as Postfix does, the connection stays usable (RFC 5321
            // section 4.5.3.1.10; RFC 3463 5.3.4 "message too big for system").
            counters.MessageRejected();
            Log.MessageTooBig(logger, recorder.SessionId, recorder.LastDataBytes, maxMessageSize);
            return new SmtpResponse(SmtpReplyCode.SizeLimitExceeded, "5.3.4 Message size exceeds fixed maximum message size");
        }

        if (recorder.SawBareLineEndingsInData && bareLineEndings == BareLineEndingsHandling.Reject)
        {
            // RFC 5321 section 2.3.8: CR and LF only as CRLF. A receiver that also ends DATA at LF.LF or CR.CR
            // would see a second message inside this one (SMTP smuggling, CVE-2023-51764/51765/51766); hardened
            // servers refuse the whole message. X.6.x is the message-content class of RFC 3463 section 3.7.
            counters.MessageRejected();
            Log.BareLineEndingsRejected(logger, recorder.SessionId);
            return new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "5.6.11 Bare CR or LF in message content refused (SMTP smuggling defence)");
        }

        if (buffer.Length >= OffEventThreadBytes)
        {
            // The MailSink process runs socket completions inline (src/MailSink/InlineSocketCompletions.cs), so this
            // may be running on a socket event thread that serves other connections too: a large message's copy,
            // parse and checks (150-700 ms for 25 MB) go to the thread pool instead of stalling them meanwhile.
            await Task.Yield();
        }

        var id = ids.Next();
        var now = time.GetUtcNow();
        var envelope = BuildEnvelope(recorder, transaction);
        var received = ReceivedHeaderBuilder.Build(envelope, id, hostname, recorder.UsedEhlo, now);

        // The buffer is only valid during this call (FIELD-NOTES): it is copied once, behind the Received header;
        // body is the DATA part of that same array.
        var raw = DataNormalizer.NormalizeAfter(received, buffer, recorder.LastDataBytes);
        var body = raw.AsMemory(received.Length);

        var summary = MessageProjector.Project(raw, envelope, out var parsed);
        summary.Id = id;
        summary.SessionId = recorder.SessionId;
        summary.ReceivedAt = now;
        (summary.TranscriptFirstLine, summary.TranscriptLastLine) = recorder.CurrentTransactionRange();
        summary.Tags = tagger.TagsOf(parsed, summary);
        if (body.Length == 0)
        {
            summary.Warnings.Add("The message is empty: DATA ended at once.");
        }

        if (recorder.SawBareLineEndingsInData)
        {
            // Only CRLF.CRLF ended this DATA, but a receiver that also accepts LF.LF or CR.CR would
            // see a second message inside it (SMTP smuggling, CVE-2023-51764/51765/51766).
            summary.Warnings.Add("SMTP smuggling indicator: bare CR or LF line endings inside DATA; a lenient server could split this message in two.");
        }

        // Checked once here and stored with the summary; offsets in findings are into DATA (body), not raw.
        summary.Checks = await checker.CheckAsync(body, parsed, summary, cancellationToken).ConfigureAwait(false);

        try
        {
            // raw is this message's own array and is not changed after this: the store may keep it rather than copy it.
            await store.AddOwnedMessageAsync(summary, raw, recorder.SnapshotWithMessage(id), cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException ex)
        {
            counters.MessageRejected();
            Log.StoreFailed(logger, id, ex.Message);

            // 451 "local error in processing" (RFC 5321 section 4.2.3, RFC 3463 X.3.0): the client keeps the
            // message and retries; nothing of it was stored, so the retry cannot make a duplicate.
            return new SmtpResponse(SmtpReplyCode.Aborted, $"4.3.0 Storage unavailable, try again later: {OneLine(ex.Message)}");
        }

        recorder.MessageAccepted(id);
        counters.MessageAccepted(raw.Length);
        return new SmtpResponse(SmtpReplyCode.Ok, $"2.0.0 Ok: queued as {id}");
    }

    private static Envelope BuildEnvelope(SessionRecorder recorder, IMessageTransaction transaction)
    {
        var envelope = recorder.NewEnvelope();
        envelope.MailFrom = transaction.From is null || transaction.From == Mailbox.Empty || string.IsNullOrEmpty(transaction.From.User)
            ? ""
            : transaction.From.AsAddress();
        foreach (var (key, value) in transaction.Parameters)
        {
            envelope.MailParameters[key.ToUpperInvariant()] = value ?? "";
        }

        var typed = transaction.To.Select(m => m.AsAddress()).ToList();
        if (envelope.RcptTo.Count != typed.Count || !typed.Zip(envelope.RcptTo).All(p => SameIgnoringUnknown(p.First, p.Second)))
        {
            // The raw lines are preferred (they keep UTF-8 domains); fall back to the library's view if they disagree.
            envelope.RcptTo = typed;
        }

        return envelope;
    }

    /// <summary>SmtpServer replaces non-ASCII domain characters with '?' (FIELD-NOTES).</summary>
    private static bool SameIgnoringUnknown(string typed, string raw) =>
        typed.Length > 0 && (typed.Equals(raw, StringComparison.OrdinalIgnoreCase) || typed.Contains('?'));

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static partial class Log
    {
        [LoggerMessage(1101, LogLevel.Error, "Message {MessageId} could not be stored; client told 451 4.3.0: {Reason}")]
        public static partial void StoreFailed(ILogger logger, string messageId, string reason);

        [LoggerMessage(1102, LogLevel.Information, "SMTP session {SessionId}: a {Bytes}-byte message refused with 552 5.3.4 (limit {Limit} bytes)")]
        public static partial void MessageTooBig(ILogger logger, string sessionId, long bytes, long limit);

        [LoggerMessage(1103, LogLevel.Information, "SMTP session {SessionId}: a message with bare CR or LF refused with 550 5.6.11 (Smtp:BareLineEndings=Reject)")]
        public static partial void BareLineEndingsRejected(ILogger logger, string sessionId);
    }
}
