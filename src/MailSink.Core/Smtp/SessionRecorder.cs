using System.Text;
using MailSink.Domain;

namespace MailSink.Smtp;

/// <summary>
/// Records one SMTP session's transcript from the bytes that cross the connection, above TLS.
/// SmtpServer's events show neither replies, the greeting, AUTH continuations nor DATA
/// (FIELD-NOTES), so the recorder reads the wire instead: client bytes as they are read,
/// server replies as they are written. What those bytes mean (which reply answers which command,
/// AUTH, DATA, how the session ended) is <see cref="SmtpConversation"/>'s job; this class keeps the
/// lines, the record and its copies. Thread-safe: reads and writes may race under pipelining, so every
/// call, the conversation's included, runs under one lock.
/// </summary>
internal sealed class SessionRecorder
{
    /// <summary>
    /// Transcripts up to this many lines (about 25 messages on one connection) ride along with every message; see
    /// <see cref="SnapshotWithMessage"/>. It was 2,000: a pooled connection then rewrote up to 2,000 lines with each
    /// message (issue 12: smtp-source -d, 8 connections, 3,000 messages: 2.29 ms CPU per message, 0.85 ms at 200).
    /// </summary>
    private const int SnapshotEveryMessageUpTo = 200;

    /// <summary>A longer transcript is copied at most once per (its lines / this) seconds: about this many lines a second.</summary>
    private const int SnapshotLinesPerSecond = 2000;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly SessionRecord _record;
    private readonly TranscriptBuffer _lines;
    private readonly SmtpConversation _conversation;
    private DateTimeOffset? _lastSnapshot;

    public SessionRecorder(SessionRecord record, TimeProvider time, int maxCommandLineLength, SessionLimits? limits = null, SmtpCounters? counters = null, ListenerPolicy? policy = null)
    {
        _record = record;
        _time = time;
        Limits = limits ?? SessionLimits.None;
        _lines = new TranscriptBuffer(Limits.MaxTranscriptLines);
        foreach (var line in record.Lines)
        {
            _lines.Add(line);
        }

        _conversation = new SmtpConversation(record, time, maxCommandLineLength, Limits, counters, policy ?? ListenerPolicy.Lenient, Add, () => _lines.Count);
    }

    public string SessionId => _record.Id;

    public SessionLimits Limits { get; }

    public TimeProvider Time => _time;

    /// <summary>
    /// A reply to send before closing the connection, once the client went past a limit that
    /// SmtpServer cannot enforce itself (an oversize DATA beyond the discard limit). Null otherwise.
    /// </summary>
    public string? CloseReply => _conversation.CloseReply;

    /// <summary>Whether the last DATA carried bare CR or LF (an SMTP smuggling indicator).</summary>
    public bool SawBareLineEndingsInData => _conversation.SawBareLineEndingsInData;

    /// <summary>
    /// Bytes the client sent as the content of its last DATA (the CRLF before the final dot included).
    /// Read by the store while that DATA's reply is pending, so no later DATA can have replaced it.
    /// </summary>
    public long LastDataBytes => _conversation.LastDataBytes;

    public void RecordGreetingOrReply(ReadOnlySpan<byte> replyBytes)
    {
        lock (_gate)
        {
            foreach (var line in SplitLines(replyBytes))
            {
                Add(TranscriptDirection.Server, line);
                if (line.Length >= 3)
                {
                    _conversation.ReplyLine(line);
                }
            }
        }
    }

    /// <summary>Feeds bytes read from the client. Returns false when a command line exceeds the limit.</summary>
    public bool RecordClientBytes(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            return _conversation.ClientBytes(bytes);
        }
    }

    /// <summary>Moves the bytes SmtpServer is to read next into <paramref name="destination"/>; 0 when none are ready.</summary>
    public int TakeLibraryInput(Span<byte> destination)
    {
        lock (_gate)
        {
            return _conversation.TakeLibraryInput(destination);
        }
    }

    /// <summary>How long the next read from the client may take, and the reply to close with when it takes longer.</summary>
    public ReadDeadline NextReadDeadline()
    {
        lock (_gate)
        {
            return _conversation.NextReadDeadline();
        }
    }

    public void ClientClosed()
    {
        lock (_gate)
        {
            _conversation.ClientClosed();
        }
    }

    /// <summary>The server told the client 421 4.3.2 at a command boundary because it is stopping.</summary>
    public void ClosedForShutdown()
    {
        lock (_gate)
        {
            _conversation.ClosedForShutdown();
        }
    }

    /// <summary>After DATA was sent and before its final dot: the client is transferring a message, not a command.</summary>
    public bool IsInData
    {
        get
        {
            lock (_gate)
            {
                return _conversation.IsInData;
            }
        }
    }

    /// <param name="tls">What was negotiated.</param>
    /// <param name="ifClosedBeforeFirstCommand">
    /// The explanation to record if the client hangs up before sending anything over TLS: clients that
    /// check the certificate after the handshake (MailKit, .NET) reject it that way.
    /// </param>
    public void TlsStarted(TlsInfo tls, string ifClosedBeforeFirstCommand)
    {
        lock (_gate)
        {
            _conversation.TlsStarted(tls, ifClosedBeforeFirstCommand);
            Add(TranscriptDirection.Event, $"TLS started: {tls.Protocol} {tls.CipherSuite}");
        }
    }

    public void TlsFailed(string explanation)
    {
        lock (_gate)
        {
            _conversation.TlsFailed(explanation);
            Add(TranscriptDirection.Event, TranscriptMarkers.TlsHandshakeFailed + explanation);
        }
    }

    public void Helo(string name)
    {
        lock (_gate)
        {
            _record.Helo = name;
        }
    }

    /// <summary>Asked with the user name before AUTH succeeds; a reply refuses it (see <see cref="AuthExchange.Refusal"/>).</summary>
    public Func<string, string?>? AuthRefusal
    {
        set
        {
            lock (_gate)
            {
                _conversation.AuthRefusal = value;
            }
        }
    }

    /// <summary>A fault rule fired (Faults/): an event line naming it, and the rule on the session's list.</summary>
    public void FaultFired(string ruleId, string description, bool closesConnection)
    {
        lock (_gate)
        {
            if (!_record.Faults.Contains(ruleId))
            {
                _record.Faults.Add(ruleId);
            }

            if (closesConnection)
            {
                _conversation.ClosedByFault();
            }

            Add(TranscriptDirection.Event, description);
        }
    }

    /// <summary>Binds the message ID to the DATA marker of the transaction just stored.</summary>
    public void MessageAccepted(string messageId)
    {
        lock (_gate)
        {
            _record.MessageIds.Add(messageId);
            Bind(_lines.FindLast(IsUnboundDataLine), messageId);
        }
    }

    /// <summary>
    /// The session as it will read once <paramref name="messageId"/> is accepted, to be stored in the message's
    /// own transaction: without it a kill -9 before the session ends left the message's transcript a 404 (issue
    /// 13). Transcripts up to <see cref="SnapshotEveryMessageUpTo"/> lines ride along with every message; a longer
    /// one (a pooled connection carrying many messages) at most once per 2,000 of its lines in seconds,
    /// so the cost stays near 2,000 lines a second instead of rewriting the whole transcript with each message
    /// (10,000 messages on one connection went from 13 to 17.5 s with a copy each second). Null when skipped.
    /// </summary>
    public SessionRecord? SnapshotWithMessage(string messageId)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var lines = _lines.Count;
            if (_lastSnapshot is { } last && lines > SnapshotEveryMessageUpTo
                && now - last < TimeSpan.FromSeconds((double)lines / SnapshotLinesPerSecond))
            {
                return null;
            }

            _lastSnapshot = now;
            var copy = _record.Clone();
            CopyLinesToRecord(copy);
            copy.MessageIds.Add(messageId);
            Bind(copy.Lines.FindLast(IsUnboundDataLine), messageId);

            return copy;
        }
    }

    /// <summary>Names the message on its DATA marker, so the transcript links to it.</summary>
    private static void Bind(TranscriptLine? dataLine, string messageId)
    {
        if (dataLine is not null)
        {
            dataLine.MessageId = messageId;
            dataLine.Text += $", message {messageId}";
        }
    }

    /// <summary>A DATA marker not yet bound to a message (the newest one is the transaction just stored).</summary>
    private static bool IsUnboundDataLine(TranscriptLine l) =>
        l.Direction == TranscriptDirection.Event && l.MessageId is null && l.Text.StartsWith(TranscriptMarkers.DataContent, StringComparison.Ordinal);

    /// <summary>An envelope filled with what the session knows: HELO, endpoints, TLS, auth user, raw RCPT addresses.</summary>
    public Envelope NewEnvelope()
    {
        lock (_gate)
        {
            return new Envelope
            {
                Helo = _record.Helo,
                ClientAddress = _record.ClientAddress,
                ClientPort = _record.ClientPort,
                ServerAddress = _record.ServerAddress,
                ServerPort = _record.ServerPort,
                Listener = _record.Listener,
                Tls = _record.Tls,
                AuthUser = _record.AuthUser,
                RcptTo = [.. _conversation.AcceptedRecipients],
            };
        }
    }

    /// <summary>True when the client greeted with EHLO (the Received header says ESMTP).</summary>
    public bool UsedEhlo
    {
        get
        {
            lock (_gate)
            {
                return _conversation.UsedEhlo;
            }
        }
    }

    /// <summary>
    /// Answers the command SmtpServer is executing now with <paramref name="reply"/> instead of the
    /// library's own reply. The library writes each reply before it reads on, and a reply leaves the
    /// queue once written, so the command being executed is the oldest one still waiting.
    /// </summary>
    public void ReplaceReplyToCurrentCommand(string reply)
    {
        lock (_gate)
        {
            _conversation.ReplaceReplyToCurrentCommand(reply);
        }
    }

    /// <summary>The transcript range of the transaction whose DATA just ended (its reply comes next).</summary>
    public (int First, int Last) CurrentTransactionRange()
    {
        lock (_gate)
        {
            return (_conversation.TransactionStart, _lines.Count);
        }
    }

    /// <summary>Ends the session and returns its final record. Idempotent.</summary>
    public SessionRecord Complete(SessionOutcome fallback, string? error)
    {
        lock (_gate)
        {
            if (_record.Outcome != SessionOutcome.Open)
            {
                return _record;
            }

            var (outcome, tlsFailure) = _conversation.End(fallback);
            _record.Outcome = outcome;
            _record.Error = outcome == SessionOutcome.TlsFailed ? TranscriptMarkers.TlsHandshakeFailed + tlsFailure : error;
            _record.EndedAt = _time.GetUtcNow();

            // A TLS failure's explanation is on the line above; the exception text would only repeat it.
            var detail = error is null || outcome == SessionOutcome.TlsFailed ? "" : $" ({error})";
            Add(TranscriptDirection.Event, $"Session ended: {outcome.Describe()}{detail}");
            CopyLinesToRecord(_record);
            return _record;
        }
    }

    /// <summary>A copy safe to hand to the API while the session is still open.</summary>
    public SessionRecord Copy()
    {
        lock (_gate)
        {
            var copy = _record.Clone();
            CopyLinesToRecord(copy);
            return copy;
        }
    }

    /// <summary>
    /// What the next replies answer: the greeting first, then the commands still waiting for their
    /// replies, oldest first (pipelined commands are answered in order, RFC 2920 section 3.1).
    /// </summary>
    public ReplyContext PendingReplies()
    {
        lock (_gate)
        {
            return _conversation.PendingReplies();
        }
    }

    private void CopyLinesToRecord(SessionRecord record)
    {
        record.Lines = _lines.Snapshot();
        record.ElidedLines = _lines.Elided;
        record.ElidedAt = _lines.Elided > 0 ? _lines.HeadCount : 0;
    }

    private void Add(TranscriptDirection direction, string text)
    {
        _lines.Add(new TranscriptLine { Time = _time.GetUtcNow(), Direction = direction, Text = text });
    }

    private static string[] SplitLines(ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        return text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }
}
