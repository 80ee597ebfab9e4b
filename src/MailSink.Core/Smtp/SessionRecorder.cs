using System.Text;
using MailSink.Domain;

namespace MailSink.Smtp;

/// <summary>
/// Records one SMTP session's transcript from the bytes that cross the connection, above TLS.
/// SmtpServer's events show neither replies, the greeting, AUTH continuations nor DATA
/// (FIELD-NOTES), so the recorder reads the wire instead: client bytes as they are read,
/// server replies as they are written. Thread-safe: reads and writes may race under pipelining.
/// </summary>
internal sealed class SessionRecorder
{
    /// <summary>Key of the recorder in SmtpServer's <c>ISessionContext.Properties</c>.</summary>
    public const string PropertyKey = "MailSink:SessionRecorder";

    /// <summary>What SmtpServer is given in place of a line MailSink answers itself: one reply, in order, never an error.</summary>
    private static readonly byte[] StandIn = "NOOP\r\n"u8.ToArray();

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ClientStreamParser _parser;
    private readonly SessionRecord _record;
    private readonly TranscriptBuffer _lines;
    private readonly SmtpCounters? _counters;
    private readonly AuthExchange _auth;
    private readonly ListenerPolicy _policy;
    private string? _lastReplyCode;
    private int _transactionStart = -1;
    private bool _quitSeen;
    private bool _clientClosed;
    private bool _timedOut;
    private bool _closedForErrors;
    private bool _closedForSize;
    private bool _lineTooLong;
    private bool _closedForShutdown;
    private bool _closedByFault;
    private bool _usedEhlo;
    private bool _helloDone;
    private bool _inTransaction;
    private bool _greeted;
    private string? _tlsFailure;
    private string? _rejectedAfterHandshake;
    private DateTimeOffset? _lastSnapshot;
    private DateTimeOffset? _lineStartedAt;
    private DateTimeOffset _dataStartedAt;
    private readonly Queue<PendingReply> _awaitingReply = new();
    private readonly List<string> _rawRecipients = [];

    public SessionRecorder(SessionRecord record, TimeProvider time, int maxCommandLineLength, SessionLimits? limits = null, SmtpCounters? counters = null, ListenerPolicy? policy = null)
    {
        _record = record;
        _time = time;
        _policy = policy ?? ListenerPolicy.Lenient;
        _auth = new AuthExchange(_policy.Users, _policy.Hostname, time);
        Limits = limits ?? SessionLimits.None;
        _counters = counters;
        _parser = new ClientStreamParser(maxCommandLineLength, Limits.MaxMessageSize, Limits.OversizeDiscardLimit);
        _lines = new TranscriptBuffer(Limits.MaxTranscriptLines);
        foreach (var line in record.Lines)
        {
            _lines.Add(line);
        }
    }

    public string SessionId => _record.Id;

    public SessionLimits Limits { get; }

    public TimeProvider Time => _time;

    /// <summary>
    /// A reply to send before closing the connection, once the client went past a limit that
    /// SmtpServer cannot enforce itself (an oversize DATA beyond the discard limit). Null otherwise.
    /// </summary>
    public string? CloseReply { get; private set; }

    /// <summary>Whether the last DATA carried bare CR or LF (an SMTP smuggling indicator).</summary>
    public bool SawBareLineEndingsInData { get; private set; }

    /// <summary>
    /// Bytes the client sent as the content of its last DATA (the CRLF before the final dot included).
    /// Read by the store while that DATA's reply is pending, so no later DATA can have replaced it.
    /// </summary>
    public long LastDataBytes { get; private set; }

    public void RecordGreetingOrReply(ReadOnlySpan<byte> replyBytes)
    {
        lock (_gate)
        {
            foreach (var line in SplitLines(replyBytes))
            {
                Add(TranscriptDirection.Server, line);
                if (line.Length >= 3)
                {
                    OnReplyLine(line);
                }
            }
        }
    }

    /// <summary>Feeds bytes read from the client. Returns false when a command line exceeds the limit.</summary>
    public bool RecordClientBytes(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            // The client spoke over TLS: it accepted the certificate.
            _rejectedAfterHandshake = null;
            var linesBefore = _lines.Count;
            _parser.Append(bytes);
            Drain();

            // The command timeout runs from the first byte of the line still incomplete.
            var sameLine = _lineStartedAt is not null && _lines.Count == linesBefore;
            _lineStartedAt = !_parser.HasPartialCommandLine ? null : sameLine ? _lineStartedAt : _time.GetUtcNow();
            return !_lineTooLong;
        }
    }

    /// <summary>Moves the bytes SmtpServer is to read next into <paramref name="destination"/>; 0 when none are ready.</summary>
    public int TakeLibraryInput(Span<byte> destination)
    {
        lock (_gate)
        {
            return _parser.Output.Take(destination);
        }
    }

    /// <summary>How long the next read from the client may take, and the reply to close with when it takes longer.</summary>
    public ReadDeadline NextReadDeadline()
    {
        lock (_gate)
        {
            return _parser.InData
                ? ReadDeadline.ForData(Limits, _dataStartedAt, _time.GetUtcNow())
                : ReadDeadline.ForCommand(Limits, _lineStartedAt, _time.GetUtcNow());
        }
    }

    public void ClientClosed()
    {
        lock (_gate)
        {
            _clientClosed = true;
        }
    }

    /// <summary>The server told the client 421 4.3.2 at a command boundary because it is stopping.</summary>
    public void ClosedForShutdown()
    {
        lock (_gate)
        {
            _closedForShutdown = true;
        }
    }

    /// <summary>After DATA was sent and before its final dot: the client is transferring a message, not a command.</summary>
    public bool IsInData
    {
        get
        {
            lock (_gate)
            {
                return _parser.IsAwaitingDataReply || _parser.PartialDataBytes is not null;
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
            // RFC 3207 section 4.2: the client must say EHLO again, and anything learnt before (AUTH) is forgotten.
            _auth.Reset();
            _helloDone = false;

            // Lines pipelined after STARTTLS came in plaintext: never act on them as if they came over
            // TLS (the command injection of CVE-2011-0411). Their replies are not owed either.
            _parser.DiscardUnreadInput();
            _awaitingReply.Clear();
            _record.AuthUser = null;
            _record.Tls = tls;
            _rejectedAfterHandshake = ifClosedBeforeFirstCommand;
            Add(TranscriptDirection.Event, $"TLS started: {tls.Protocol} {tls.CipherSuite}");
        }
    }

    public void TlsFailed(string explanation)
    {
        lock (_gate)
        {
            _tlsFailure = explanation;
            Add(TranscriptDirection.Event, $"TLS handshake failed: {explanation}");
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
                _auth.Refusal = value;
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

            _closedByFault |= closesConnection;
            Add(TranscriptDirection.Event, description);
        }
    }

    /// <summary>Binds the message ID to the DATA marker of the transaction just stored.</summary>
    public void MessageAccepted(string messageId)
    {
        lock (_gate)
        {
            _record.MessageIds.Add(messageId);
            if (_lines.FindLast(IsUnboundDataLine) is { } line)
            {
                line.MessageId = messageId;
                line.Text += $", message {messageId}";
            }
        }
    }

    /// <summary>
    /// The session as it will read once <paramref name="messageId"/> is accepted, to be stored in the message's
    /// own transaction: without it a kill -9 before the session ends left the message's transcript a 404 (issue
    /// 13). Transcripts up to <see cref="SnapshotEveryMessageUpTo"/> lines ride along with every message; a longer
    /// one (a pooled connection carrying thousands of messages) at most once per 2,000 of its lines in seconds,
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
                && now - last < TimeSpan.FromSeconds((double)lines / SnapshotEveryMessageUpTo))
            {
                return null;
            }

            _lastSnapshot = now;
            var copy = _record.Clone();
            CopyLinesToRecord(copy);
            copy.MessageIds.Add(messageId);
            if (copy.Lines.FindLast(IsUnboundDataLine) is { } line)
            {
                line.MessageId = messageId;
                line.Text += $", message {messageId}";
            }

            return copy;
        }
    }

    /// <summary>Transcripts up to this many lines ride along with every message; see <see cref="SnapshotWithMessage"/>.</summary>
    private const int SnapshotEveryMessageUpTo = 2000;

    /// <summary>A DATA marker not yet bound to a message (the newest one is the transaction just stored).</summary>
    private static bool IsUnboundDataLine(TranscriptLine l) =>
        l.Direction == TranscriptDirection.Event && l.MessageId is null && l.Text.StartsWith("DATA content", StringComparison.Ordinal);

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
                RcptTo = [.. _rawRecipients],
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
                return _usedEhlo;
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
            if (_awaitingReply.TryPeek(out var current))
            {
                current.Replacement = reply;
            }
        }
    }

    /// <summary>The transcript range of the transaction whose DATA just ended (its reply comes next).</summary>
    public (int First, int Last) CurrentTransactionRange()
    {
        lock (_gate)
        {
            return (_transactionStart >= 0 ? _transactionStart : 0, _lines.Count);
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

            if (_tlsFailure is null && _rejectedAfterHandshake is not null && (_clientClosed || fallback == SessionOutcome.ServerError))
            {
                _tlsFailure = _rejectedAfterHandshake;
                Add(TranscriptDirection.Event, $"TLS handshake failed: {_tlsFailure}");
            }

            var outcome = _tlsFailure is not null && fallback != SessionOutcome.ServerShutdown ? SessionOutcome.TlsFailed
                : _quitSeen ? SessionOutcome.Quit
                : _closedForShutdown ? SessionOutcome.ServerShutdown
                : _closedForSize ? SessionOutcome.MessageTooBig
                : _closedByFault ? SessionOutcome.ClosedByFault
                : _timedOut ? SessionOutcome.Timeout
                : fallback is SessionOutcome.ServerError or SessionOutcome.ServerShutdown ? fallback
                : _closedForErrors ? SessionOutcome.TooManyErrors
                : _clientClosed ? SessionOutcome.ClientDisconnected
                : _lastReplyCode is { } code && code[0] == '5' ? SessionOutcome.TooManyErrors
                : fallback;
            if (_parser.PartialDataBytes is { } partial)
            {
                Add(TranscriptDirection.Event, $"DATA interrupted after {partial} bytes: no message was stored");
            }

            _record.Outcome = outcome;
            _record.Error = outcome == SessionOutcome.TlsFailed ? $"TLS handshake failed: {_tlsFailure}" : error;
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

    private void CopyLinesToRecord(SessionRecord record)
    {
        record.Lines = _lines.Snapshot();
        record.ElidedLines = _lines.Elided;
        record.ElidedAt = _lines.Elided > 0 ? _lines.HeadCount : 0;
    }

    /// <summary>
    /// What the next replies answer: the greeting first, then the commands still waiting for their
    /// replies, oldest first (pipelined commands are answered in order, RFC 2920 section 3.1).
    /// </summary>
    public ReplyContext PendingReplies()
    {
        lock (_gate)
        {
            return new ReplyContext(_greeted, [.. _awaitingReply.Select(p => p.Verb)], [.. _awaitingReply.Select(p => p.Replacement)]);
        }
    }

    private void Drain()
    {
        while (CloseReply is null && _parser.TryRead(out var item))
        {
            switch (item.Kind)
            {
                case ClientItemKind.CommandLine:
                    OnClientLine(item.Text!, item.Raw!);
                    break;
                case ClientItemKind.DataComplete:
                    SawBareLineEndingsInData = item.BareLineEndings;
                    LastDataBytes = item.Bytes;
                    Add(TranscriptDirection.Event, item.Oversize
                        ? $"Oversize DATA content: {item.Bytes} bytes, over the {Limits.MaxMessageSize}-byte limit: read to the end and discarded"
                        : $"DATA content: {item.Bytes} bytes{(item.BareLineEndings ? " (bare CR or LF seen: a smuggling indicator)" : "")}");
                    _awaitingReply.Enqueue(new PendingReply("DATA-END"));
                    break;
                case ClientItemKind.DataAbandoned:
                    Add(TranscriptDirection.Event, $"Oversize DATA content: {item.Bytes} bytes read and discarded, past the {Limits.OversizeDiscardLimit}-byte discard limit: connection closed");
                    _closedForSize = true;
                    _counters?.MessageRejected();
                    CloseReply = "552 5.3.4 Message size exceeds fixed maximum message size, closing connection";
                    return;
                case ClientItemKind.LineTooLong:
                    Add(TranscriptDirection.Client, item.Text!);
                    Add(TranscriptDirection.Event, $"Command line longer than {_parser.MaxCommandLineLength} bytes: connection closed");
                    _lineTooLong = true;
                    return;
            }
        }
    }

    private void OnClientLine(string line, byte[] raw)
    {
        if (_auth.InProgress)
        {
            if (line.Trim().Equals("DATA", StringComparison.OrdinalIgnoreCase))
            {
                // "DATA" is valid base64: as an AUTH response it starts no DATA, so what the parser held
                // back after it (waiting for a 354 that will not come) is commands again.
                _parser.DataReply(accepted: false);
            }

            var redacted = AuthRedactor.Continuation(line, _auth.ExpectsUserName, _auth.ExpectsCramResponse);
            AnswerInstead(new PendingReply("AUTH"), _auth.Continuation(line));
            Add(TranscriptDirection.Client, redacted);
            CountCredentialFailure();
            return;
        }

        var verb = FirstWord(line);
        if (_policy.Refusal(verb, _record.Tls is not null, _auth.User is not null) is { } refusal)
        {
            Add(TranscriptDirection.Client, verb == "AUTH" ? AuthRedactor.Command(line) : line);
            AnswerInstead(new PendingReply(verb), refusal, exchange: false);
            return;
        }

        if (verb == "AUTH")
        {
            Add(TranscriptDirection.Client, AuthRedactor.Command(line));
            if (_policy.Failures?.IsLockedOut(_record.ClientAddress) == true)
            {
                // 421 closes the connection (RFC 5321 section 3.8); the client may come back after the cool-down.
                Add(TranscriptDirection.Event, $"AUTH refused: too many failed attempts from {_record.ClientAddress}; connection closed");
                _closedForErrors = true;
                CloseReply = "421 4.7.0 Too many failed authentication attempts, try again later";
                return;
            }

            var reply = _auth.Command(line, _helloDone, _inTransaction, Limits.AuthRequiresTls && _record.Tls is null);
            AnswerInstead(new PendingReply(verb), reply);
            CountCredentialFailure();
            return;
        }

        // The raw address keeps UTF-8 domains that SmtpServer's IMailbox turns into '?'.
        _awaitingReply.Enqueue(new PendingReply(verb, verb == "RCPT" ? AngleAddress(line) : null));
        _parser.Output.Write(raw);
        switch (verb)
        {
            case "MAIL":
                _transactionStart = _lines.Count;
                break;
            case "EHLO":
                _usedEhlo = true;

                // Taken as done when read, not when answered: a client may pipeline AUTH right after it.
                _helloDone = true;
                break;
            case "HELO":
                _usedEhlo = false;
                _helloDone = true;
                break;
            case "QUIT":
                _quitSeen = true;
                break;
        }

        Add(TranscriptDirection.Client, line);
    }

    /// <summary>
    /// Answers a client line here: SmtpServer reads a NOOP in its place, and its reply to that NOOP is
    /// replaced by <paramref name="reply"/>. The library thus stays in step with the client (one reply
    /// per line, in order under pipelining), and the stand-in never counts as a bad command.
    /// </summary>
    /// <param name="pending">The line answered, waiting for its reply like any other.</param>
    /// <param name="reply">The whole reply line.</param>
    /// <param name="exchange">False for a refusal before any exchange (a strict mode's 530): it neither authenticates nor counts as a failed attempt.</param>
    private void AnswerInstead(PendingReply pending, string reply, bool exchange = true)
    {
        pending.Replacement = reply;
        _awaitingReply.Enqueue(pending);
        _parser.Output.Write(StandIn);
        if (!exchange)
        {
            return;
        }

        if (_auth.User is { } user && !_auth.InProgress && reply.StartsWith("235", StringComparison.Ordinal))
        {
            _record.AuthUser = user;
        }
        else if (_auth.LastFailed && reply[0] is '4' or '5')
        {
            _record.FailedAuthAttempts++;
        }
    }

    /// <summary>Wrong credentials count towards the client address's lockout (<see cref="AuthFailureTracker"/>).</summary>
    private void CountCredentialFailure()
    {
        if (_auth.CredentialsRejected)
        {
            _policy.Failures?.Failed(_record.ClientAddress);
        }
    }

    private void OnReplyLine(string line)
    {
        var code = line[..3];
        var last = line.Length == 3 || line[3] == ' ';
        if (!last)
        {
            return;
        }

        PendingReply? pending = null;
        if (!_greeted)
        {
            _greeted = true;
        }
        else
        {
            _awaitingReply.TryDequeue(out pending);
        }

        var answered = pending?.Verb;
        _lastReplyCode = code;
        var accepted = code[0] == '2';
        switch (answered)
        {
            case "MAIL" when accepted:
                _rawRecipients.Clear();
                _inTransaction = true;
                break;
            case "RCPT" when accepted && pending?.Recipient is { } recipient:
                // Only accepted recipients: a pipelining client sends RCPTs the limit then refuses.
                _rawRecipients.Add(recipient);
                break;
            case "EHLO" or "HELO" when accepted:
                _inTransaction = false;
                break;
            case "RSET" when accepted:
            case "DATA-END":
                _inTransaction = false;
                break;
        }

        if (answered == "DATA" && _parser.IsAwaitingDataReply)
        {
            // Under pipelining the replies to MAIL and RCPT come first; only DATA's reply decides.
            if (code == "354")
            {
                _dataStartedAt = _time.GetUtcNow();
            }

            _parser.DataReply(code == "354");
            Drain();
        }

        if (code == "421" && line.Contains("Too many errors", StringComparison.Ordinal))
        {
            // ReplyRewriter's 421 after the library's last retry: the server, not the client, ends the session.
            _closedForErrors = true;
        }

        if (code == "421" && line.Contains("timeout", StringComparison.OrdinalIgnoreCase))
        {
            _timedOut = true;
        }
    }

    private static string AngleAddress(string line)
    {
        var open = line.IndexOf('<');
        var close = open < 0 ? -1 : line.IndexOf('>', open + 1);
        if (open >= 0 && close > open)
        {
            return line[(open + 1)..close];
        }

        var colon = line.IndexOf(':');
        return colon < 0 ? "" : line[(colon + 1)..].Trim().Split(' ')[0];
    }

    private static string FirstWord(string line)
    {
        var end = line.IndexOf(' ');
        var word = end < 0 ? line : line[..end];
        return word.ToUpperInvariant();
    }

    private void Add(TranscriptDirection direction, string text)
    {
        _lines.Add(new TranscriptLine { Time = _time.GetUtcNow(), Direction = direction, Text = text });
    }

    private static IEnumerable<string> SplitLines(ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        return text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }
}

/// <summary>Whether the greeting went out, and the verbs awaiting replies ("DATA-END" for content).</summary>
internal sealed record ReplyContext(bool Greeted, IReadOnlyList<string> Verbs, IReadOnlyList<string?>? Replacements = null);
