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

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ClientStreamParser _parser;
    private readonly SessionRecord _record;
    private string? _lastReplyCode;
    private bool _authInProgress;
    private bool _expectUsername;
    private int _transactionStart = -1;
    private bool _quitSeen;
    private bool _clientClosed;
    private bool _timedOut;
    private bool _closedForErrors;
    private bool _lineTooLong;
    private bool _closedForShutdown;
    private bool _usedEhlo;
    private bool _greeted;
    private string? _tlsFailure;
    private string? _rejectedAfterHandshake;
    private DateTimeOffset? _lastSnapshot;
    private readonly Queue<string> _awaitingReply = new();
    private readonly List<string> _rawRecipients = [];

    public SessionRecorder(SessionRecord record, TimeProvider time, int maxCommandLineLength)
    {
        _record = record;
        _time = time;
        _parser = new ClientStreamParser(maxCommandLineLength);
    }

    public string SessionId => _record.Id;


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
            _parser.Append(bytes);
            Drain();
            return !_lineTooLong;
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

    public void Authenticated(string user)
    {
        lock (_gate)
        {
            _record.AuthUser = user;
        }
    }

    /// <summary>Binds the message ID to the DATA marker of the transaction just stored.</summary>
    public void MessageAccepted(string messageId)
    {
        lock (_gate)
        {
            BindMessage(_record, messageId);
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
            var lines = _record.Lines.Count;
            if (_lastSnapshot is { } last && lines > SnapshotEveryMessageUpTo
                && now - last < TimeSpan.FromSeconds((double)lines / SnapshotEveryMessageUpTo))
            {
                return null;
            }

            _lastSnapshot = now;
            var copy = _record.Clone();
            BindMessage(copy, messageId);
            return copy;
        }
    }

    /// <summary>Transcripts up to this many lines ride along with every message; see <see cref="SnapshotWithMessage"/>.</summary>
    private const int SnapshotEveryMessageUpTo = 2000;

    private static void BindMessage(SessionRecord record, string messageId)
    {
        record.MessageIds.Add(messageId);
        for (var i = record.Lines.Count - 1; i >= 0; i--)
        {
            var line = record.Lines[i];
            if (line.Direction == TranscriptDirection.Event && line.MessageId is null && line.Text.StartsWith("DATA content", StringComparison.Ordinal))
            {
                line.MessageId = messageId;
                line.Text += $", message {messageId}";
                break;
            }
        }
    }

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

    /// <summary>RCPT commands since the last MAIL, for the recipient limit.</summary>
    public int RecipientCount
    {
        get
        {
            lock (_gate)
            {
                return _rawRecipients.Count;
            }
        }
    }

    /// <summary>The transcript range of the transaction whose DATA just ended (its reply comes next).</summary>
    public (int First, int Last) CurrentTransactionRange()
    {
        lock (_gate)
        {
            return (_transactionStart >= 0 ? _transactionStart : 0, _record.Lines.Count);
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
            return _record;
        }
    }

    /// <summary>A copy safe to hand to the API while the session is still open.</summary>
    public SessionRecord Copy()
    {
        lock (_gate)
        {
            return _record.Clone();
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
            return new ReplyContext(_greeted, [.. _awaitingReply]);
        }
    }

    /// <summary>True between DATA and the first content byte: where SmtpServer mishandles an empty message.</summary>
    public bool AtDataStart
    {
        get
        {
            lock (_gate)
            {
                return _parser.AtDataStart;
            }
        }
    }

    private void Drain()
    {
        while (_parser.TryRead(out var item))
        {
            switch (item.Kind)
            {
                case ClientItemKind.CommandLine:
                    OnClientLine(item.Text!);
                    break;
                case ClientItemKind.DataComplete:
                    SawBareLineEndingsInData = item.BareLineEndings;
                    LastDataBytes = item.Bytes;
                    Add(TranscriptDirection.Event, $"DATA content: {item.Bytes} bytes{(item.BareLineEndings ? " (bare CR or LF seen: a smuggling indicator)" : "")}");
                    _awaitingReply.Enqueue("DATA-END");
                    break;
                case ClientItemKind.LineTooLong:
                    Add(TranscriptDirection.Client, item.Text!);
                    Add(TranscriptDirection.Event, $"Command line longer than {_parser.MaxCommandLineLength} bytes: connection closed");
                    _lineTooLong = true;
                    return;
            }
        }
    }

    private void OnClientLine(string line)
    {
        if (_authInProgress && _lastReplyCode == "334")
        {
            _awaitingReply.Enqueue("AUTH");
            Add(TranscriptDirection.Client, AuthRedactor.Continuation(line, _expectUsername));
            return;
        }

        var verb = FirstWord(line);
        _awaitingReply.Enqueue(verb);
        switch (verb)
        {
            case "AUTH":
                _authInProgress = true;
                Add(TranscriptDirection.Client, AuthRedactor.Command(line));
                return;
            case "MAIL":
                _transactionStart = _record.Lines.Count;
                _rawRecipients.Clear();
                break;
            case "RCPT":
                // The raw address keeps UTF-8 domains that SmtpServer's IMailbox turns into '?'.
                _rawRecipients.Add(AngleAddress(line));
                break;
            case "EHLO":
                _usedEhlo = true;
                break;
            case "HELO":
                _usedEhlo = false;
                break;
            case "QUIT":
                _quitSeen = true;
                break;
        }

        Add(TranscriptDirection.Client, line);
    }

    private void OnReplyLine(string line)
    {
        var code = line[..3];
        var last = line.Length == 3 || line[3] == ' ';
        if (!last)
        {
            return;
        }

        string? answered = null;
        if (!_greeted)
        {
            _greeted = true;
        }
        else
        {
            _awaitingReply.TryDequeue(out answered);
        }

        _lastReplyCode = code;
        if (answered == "DATA" && _parser.IsAwaitingDataReply)
        {
            // Under pipelining the replies to MAIL and RCPT come first; only DATA's reply decides.
            _parser.DataReply(code == "354");
            Drain();
        }

        if (code == "334" && _authInProgress)
        {
            var challenge = AuthRedactor.TryBase64(line.Length > 4 ? line[4..].Trim() : "");
            _expectUsername = challenge?.Contains("user", StringComparison.OrdinalIgnoreCase) == true;
        }
        else if (_authInProgress)
        {
            _authInProgress = false;
            _expectUsername = false;
            if (code is "535" or "454" or "534" or "538")
            {
                _record.FailedAuthAttempts++;
            }
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
        _record.Lines.Add(new TranscriptLine { Time = _time.GetUtcNow(), Direction = direction, Text = text });
    }

    private static IEnumerable<string> SplitLines(ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        return text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }
}

/// <summary>Whether the greeting went out, and the verbs awaiting replies ("DATA-END" for content).</summary>
internal sealed record ReplyContext(bool Greeted, IReadOnlyList<string> Verbs);
