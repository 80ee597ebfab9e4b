using MailSink.Domain;

namespace MailSink.Smtp;

/// <summary>
/// Follows one SMTP conversation as it crosses the wire: pairs replies with the commands they answer
/// (pipelining included), answers AUTH itself, gates DATA on its 354, tracks HELO and the transaction,
/// and decides how the session ended. What it sees worth keeping it hands to the transcript through
/// <c>note</c>; the transcript itself is <see cref="SessionRecorder"/>'s job.
/// Not thread-safe: <see cref="SessionRecorder"/> calls it under its lock only.
/// </summary>
internal sealed class SmtpConversation
{
    /// <summary>What SmtpServer is given in place of a line MailSink answers itself: one reply, in order, never an error.</summary>
    private static readonly byte[] StandIn = "NOOP\r\n"u8.ToArray();

    private readonly SessionRecord _record;
    private readonly TimeProvider _time;
    private readonly SessionLimits _limits;
    private readonly SmtpCounters? _counters;
    private readonly ListenerPolicy _policy;
    private readonly AuthExchange _auth;
    private readonly ClientStreamParser _parser;
    private readonly Action<TranscriptDirection, string> _note;
    private readonly Func<int> _lineCount;
    private readonly Queue<PendingReply> _awaitingReply = new();
    private readonly List<string> _rawRecipients = [];
    private readonly SessionEnding _ending = new();
    private int _transactionStart = -1;
    private bool _lineTooLong;
    private bool _helloDone;
    private bool _inTransaction;
    private bool _greeted;
    private DateTimeOffset? _lineStartedAt;
    private DateTimeOffset _dataStartedAt;

    // note adds a line to the transcript; lineCount is how many it holds (where a transaction
    // starts, whether a command line completed since the last read).
    public SmtpConversation(SessionRecord record, TimeProvider time, int maxCommandLineLength, SessionLimits limits, SmtpCounters? counters, ListenerPolicy policy,
        Action<TranscriptDirection, string> note, Func<int> lineCount)
    {
        _record = record;
        _time = time;
        _limits = limits;
        _counters = counters;
        _policy = policy;
        _auth = new AuthExchange(policy.Users, policy.Hostname, time);
        _parser = new ClientStreamParser(maxCommandLineLength, limits.MaxMessageSize, limits.OversizeDiscardLimit);
        _note = note;
        _lineCount = lineCount;
    }

    /// <inheritdoc cref="SessionRecorder.CloseReply"/>
    public string? CloseReply { get; private set; }

    /// <inheritdoc cref="SessionRecorder.SawBareLineEndingsInData"/>
    public bool SawBareLineEndingsInData { get; private set; }

    /// <inheritdoc cref="SessionRecorder.LastDataBytes"/>
    public long LastDataBytes { get; private set; }

    /// <summary>True when the client greeted with EHLO (the Received header says ESMTP).</summary>
    public bool UsedEhlo { get; private set; }

    /// <summary>RCPT addresses the server accepted in the current transaction, raw (UTF-8 domains kept).</summary>
    public IReadOnlyList<string> AcceptedRecipients => _rawRecipients;

    /// <summary>Transcript index where the current transaction's MAIL line went, or 0 before any.</summary>
    public int TransactionStart => _transactionStart >= 0 ? _transactionStart : 0;

    /// <inheritdoc cref="SessionRecorder.IsInData"/>
    public bool IsInData => _parser.IsAwaitingDataReply || _parser.PartialDataBytes is not null;

    /// <inheritdoc cref="SessionRecorder.AuthRefusal"/>
    public Func<string, string?>? AuthRefusal
    {
        set => _auth.Refusal = value;
    }

    /// <inheritdoc cref="SessionRecorder.RecordClientBytes"/>
    public bool ClientBytes(ReadOnlySpan<byte> bytes)
    {
        // The client spoke over TLS: it accepted the certificate.
        _ending.RejectedAfterHandshake = null;
        var linesBefore = _lineCount();
        _parser.Append(bytes);
        Drain();

        // The command timeout runs from the first byte of the line still incomplete.
        var sameLine = _lineStartedAt is not null && _lineCount() == linesBefore;
        _lineStartedAt = !_parser.HasPartialCommandLine ? null : sameLine ? _lineStartedAt : _time.GetUtcNow();
        return !_lineTooLong;
    }

    /// <summary>One reply line the server wrote (at least three characters); only a reply's last line counts.</summary>
    public void ReplyLine(string line)
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
        _ending.LastReplyCode = code;
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
            case TranscriptMarkers.DataEnd:
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

        if (code == "421" && line.Contains(TranscriptMarkers.TooManyErrors, StringComparison.Ordinal))
        {
            // ReplyRewriter's 421 after the library's last retry: the server, not the client, ends the session.
            _ending.ClosedForErrors = true;
        }

        if (code == "421" && line.Contains("timeout", StringComparison.OrdinalIgnoreCase))
        {
            _ending.TimedOut = true;
        }
    }

    /// <inheritdoc cref="SessionRecorder.TakeLibraryInput"/>
    public int TakeLibraryInput(Span<byte> destination) => _parser.Output.Take(destination);

    /// <inheritdoc cref="SessionRecorder.NextReadDeadline"/>
    public ReadDeadline NextReadDeadline() =>
        _parser.InData
            ? ReadDeadline.ForData(_limits, _dataStartedAt, _time.GetUtcNow())
            : ReadDeadline.ForCommand(_limits, _lineStartedAt, _time.GetUtcNow());

    public void ClientClosed() => _ending.ClientClosed = true;

    public void ClosedForShutdown() => _ending.ClosedForShutdown = true;

    public void ClosedByFault() => _ending.ClosedByFault = true;

    /// <inheritdoc cref="SessionRecorder.TlsStarted"/>
    public void TlsStarted(TlsInfo tls, string ifClosedBeforeFirstCommand)
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
        _ending.RejectedAfterHandshake = ifClosedBeforeFirstCommand;
    }

    public void TlsFailed(string explanation) => _ending.TlsFailure = explanation;

    /// <inheritdoc cref="SessionRecorder.ReplaceReplyToCurrentCommand"/>
    public void ReplaceReplyToCurrentCommand(string reply)
    {
        if (_awaitingReply.TryPeek(out var current))
        {
            current.Replacement = reply;
        }
    }

    /// <inheritdoc cref="SessionRecorder.PendingReplies"/>
    public ReplyContext PendingReplies() =>
        new(_greeted, [.. _awaitingReply.Select(p => p.Verb)], [.. _awaitingReply.Select(p => p.Replacement)]);

    /// <summary>
    /// How the session ended, from what was seen on the wire, <paramref name="fallback"/> when nothing decides;
    /// and the TLS failure explanation when it ended as one. Notes a rejected certificate and a DATA cut short.
    /// </summary>
    public (SessionOutcome Outcome, string? TlsFailure) End(SessionOutcome fallback)
    {
        if (_ending.AdoptRejectedCertificate(fallback))
        {
            _note(TranscriptDirection.Event, TranscriptMarkers.TlsHandshakeFailed + _ending.TlsFailure);
        }

        var outcome = _ending.Decide(fallback);
        if (_parser.PartialDataBytes is { } partial)
        {
            _note(TranscriptDirection.Event, $"DATA interrupted after {partial} bytes: no message was stored");
        }

        return (outcome, _ending.TlsFailure);
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
                    _note(TranscriptDirection.Event, item.Oversize
                        ? $"Oversize {TranscriptMarkers.DataContent}: {item.Bytes} bytes, over the {_limits.MaxMessageSize}-byte limit: read to the end and discarded"
                        : $"{TranscriptMarkers.DataContent}: {item.Bytes} bytes{(item.BareLineEndings ? " (bare CR or LF seen: a smuggling indicator)" : "")}");
                    _awaitingReply.Enqueue(new PendingReply(TranscriptMarkers.DataEnd));
                    break;
                case ClientItemKind.DataAbandoned:
                    _note(TranscriptDirection.Event, $"Oversize {TranscriptMarkers.DataContent}: {item.Bytes} bytes read and discarded, past the {_limits.OversizeDiscardLimit}-byte discard limit: connection closed");
                    _ending.ClosedForSize = true;
                    _counters?.MessageRejected();
                    CloseReply = "552 5.3.4 Message size exceeds fixed maximum message size, closing connection";
                    return;
                case ClientItemKind.LineTooLong:
                    _note(TranscriptDirection.Client, item.Text!);
                    _note(TranscriptDirection.Event, $"Command line longer than {_parser.MaxCommandLineLength} bytes: connection closed");
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
            _note(TranscriptDirection.Client, redacted);
            CountCredentialFailure();
            return;
        }

        var verb = SmtpCommandLine.Verb(line);
        if (_policy.Refusal(verb, _record.Tls is not null, _auth.User is not null) is { } refusal)
        {
            _note(TranscriptDirection.Client, verb == "AUTH" ? AuthRedactor.Command(line) : line);
            AnswerInstead(new PendingReply(verb), refusal, exchange: false);
            return;
        }

        if (verb == "AUTH")
        {
            _note(TranscriptDirection.Client, AuthRedactor.Command(line));
            if (_policy.Failures?.IsLockedOut(_record.ClientAddress) == true)
            {
                // 421 closes the connection (RFC 5321 section 3.8); the client may come back after the cool-down.
                _note(TranscriptDirection.Event, $"AUTH refused: too many failed attempts from {_record.ClientAddress}; connection closed");
                _ending.ClosedForErrors = true;
                CloseReply = "421 4.7.0 Too many failed authentication attempts, try again later";
                return;
            }

            var reply = _auth.Command(line, _helloDone, _inTransaction, _limits.AuthRequiresTls && _record.Tls is null);
            AnswerInstead(new PendingReply(verb), reply);
            CountCredentialFailure();
            return;
        }

        // The raw address keeps UTF-8 domains that SmtpServer's IMailbox turns into '?'.
        _awaitingReply.Enqueue(new PendingReply(verb, verb == "RCPT" ? SmtpCommandLine.AngleAddress(line) : null));
        _parser.Output.Write(raw);
        switch (verb)
        {
            case "MAIL":
                _transactionStart = _lineCount();
                break;
            case "EHLO":
                UsedEhlo = true;

                // Taken as done when read, not when answered: a client may pipeline AUTH right after it.
                _helloDone = true;
                break;
            case "HELO":
                UsedEhlo = false;
                _helloDone = true;
                break;
            case "QUIT":
                _ending.QuitSeen = true;
                break;
        }

        _note(TranscriptDirection.Client, line);
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
}
