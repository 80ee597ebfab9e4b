using System.Buffers;
using System.Text;

namespace MailSink.Smtp;

internal enum ClientItemKind
{
    CommandLine,
    DataComplete,
    LineTooLong,

    /// <summary>An oversize DATA went past the discard limit: the connection is to be closed.</summary>
    DataAbandoned,
}

/// <summary>
/// One thing the client sent: a command line (<c>Raw</c> holds its bytes with the CRLF, exactly as sent,
/// forwarded to the library or replaced), the end of DATA (<c>Oversize</c> when the content was over the
/// size limit: only counted, not given to the library), an overlong line, or an abandoned oversize DATA.
/// </summary>
internal readonly record struct ClientItem(ClientItemKind Kind, string? Text, long Bytes, bool BareLineEndings, byte[]? Raw = null, bool Oversize = false);

/// <summary>
/// Splits the client's byte stream into command lines and DATA content the way SmtpServer does:
/// commands end at CRLF, and DATA ends only at CRLF "." CRLF (a bare LF or CR never ends it,
/// which is what keeps SMTP smuggling out; we flag such bytes instead).
/// DATA content goes on to the library through <see cref="Output"/> as it is scanned, up to the
/// size limit; beyond it content is counted and dropped until the end of DATA, which the library
/// is then shown as a stand-in end (<see cref="LibraryDataEnd"/>). Command lines are left to the
/// caller to forward (as <see cref="ClientItem.Raw"/> or a stand-in).
/// </summary>
internal sealed class ClientStreamParser(int maxCommandLineLength, long maxMessageSize = long.MaxValue, long discardLimit = long.MaxValue)
{
    private enum Mode
    {
        Command,
        AwaitingDataReply,
        Data,
        Abandoned,
    }

    private enum DataMatch
    {
        None,
        LineStart,
        Dot,
        DotCr,
    }

    private readonly ArrayBufferWriter<byte> _pending = new();
    private readonly Queue<ClientItem> _items = new();
    private Mode _mode = Mode.Command;
    private DataMatch _match;
    private bool _previousWasCr;
    private bool _bare;
    private long _dataBytes;
    private long _forwardedContent;
    private bool _discarding;

    public int MaxCommandLineLength { get; } = maxCommandLineLength;

    /// <summary>What the library reads: DATA content as scanned, command lines as the caller forwards them.</summary>
    public LibraryInputQueue Output { get; } = new();

    public bool IsAwaitingDataReply => _mode == Mode.AwaitingDataReply;

    /// <summary>Between the 354 and the final ".": the client is sending content.</summary>
    public bool InData => _mode == Mode.Data;

    /// <summary>Bytes of a command line received without its CRLF yet.</summary>
    public bool HasPartialCommandLine => _mode == Mode.Command && _pending.WrittenCount > 0;

    /// <summary>Content bytes received so far when the client is in the middle of DATA, else null.</summary>
    public long? PartialDataBytes => _mode == Mode.Data ? _dataBytes : null;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_mode == Mode.Abandoned)
        {
            return;
        }

        if (_mode == Mode.Data)
        {
            var consumed = ScanData(bytes);
            bytes = bytes[consumed..];
        }

        if (!bytes.IsEmpty && _mode != Mode.Abandoned)
        {
            _pending.Write(bytes);
        }

        ParsePending();
    }

    public void DataReply(bool accepted)
    {
        if (_mode != Mode.AwaitingDataReply)
        {
            return;
        }

        if (accepted)
        {
            _mode = Mode.Data;
            _match = DataMatch.LineStart;
            _previousWasCr = false;
            _bare = false;
            _dataBytes = 0;
            _forwardedContent = 0;
            _discarding = false;
        }
        else
        {
            _mode = Mode.Command;
        }

        var held = _pending.WrittenSpan.ToArray();
        _pending.Clear();
        Append(held);
    }

    public bool TryRead(out ClientItem item) => _items.TryDequeue(out item);

    /// <summary>Forgets input not yet read by the library (at a TLS upgrade).</summary>
    public void DiscardUnreadInput()
    {
        _pending.Clear();
        _items.Clear();
        Output.Clear();
        _mode = Mode.Command;
    }

    private void ParsePending()
    {
        while (_mode == Mode.Command)
        {
            var span = _pending.WrittenSpan;
            var end = span.IndexOf("\r\n"u8);
            if (end < 0)
            {
                if (span.Length > MaxCommandLineLength)
                {
                    _items.Enqueue(new ClientItem(ClientItemKind.LineTooLong, Preview(span), span.Length, false));
                    _pending.Clear();
                }

                return;
            }

            if (end > MaxCommandLineLength)
            {
                _items.Enqueue(new ClientItem(ClientItemKind.LineTooLong, Preview(span[..end]), end, false));
                _pending.Clear();
                return;
            }

            var line = Encoding.UTF8.GetString(span[..end]);
            var raw = span[..(end + 2)].ToArray();
            var rest = span[(end + 2)..].ToArray();
            _pending.Clear();
            _items.Enqueue(new ClientItem(ClientItemKind.CommandLine, line, end, false, raw));
            if (line.Trim().Equals("DATA", StringComparison.OrdinalIgnoreCase))
            {
                // What follows DATA is content only if the server answers 354: hold it until the reply.
                _mode = Mode.AwaitingDataReply;
            }

            _pending.Write(rest);
        }
    }

    /// <summary>
    /// Consumes DATA content; returns how many bytes belonged to it (including the terminator).
    /// A "." (and its CR) at the start of a line is held back until the next byte shows whether it
    /// ends the DATA, so the library can be given the end it recognises (an empty message needs
    /// a CRLF first) or, for an oversize message, a stand-in end after the truncated content.
    /// </summary>
    private int ScanData(ReadOnlySpan<byte> bytes)
    {
        // Content is forwarded in runs (a byte at a time would cost a call per byte of a 50 MB message).
        var runStart = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (_previousWasCr && b != (byte)'\n')
            {
                _bare = true;
            }

            switch (_match)
            {
                case DataMatch.LineStart when b == (byte)'.':
                    ForwardContent(bytes[runStart..i]);
                    runStart = i + 1;
                    _match = DataMatch.Dot;
                    break;
                case DataMatch.Dot when b == (byte)'\r':
                    runStart = i + 1;
                    _match = DataMatch.DotCr;
                    break;
                case DataMatch.DotCr when b == (byte)'\n':
                    EndData();
                    return i + 1;
                default:
                    if (_match is DataMatch.Dot or DataMatch.DotCr)
                    {
                        // Not the end after all: the held "." (and CR) are content.
                        ForwardContent(_match == DataMatch.Dot ? "."u8 : ".\r"u8);
                    }

                    _match = b == (byte)'\n' && _previousWasCr ? DataMatch.LineStart : DataMatch.None;
                    if (b == (byte)'\n' && !_previousWasCr)
                    {
                        _bare = true;
                    }

                    break;
            }

            _previousWasCr = b == (byte)'\r';
            _dataBytes++;
        }

        ForwardContent(bytes[runStart..]);
        if (_discarding && _dataBytes > discardLimit)
        {
            // Reading and discarding to the end is a courtesy to clients that only read the reply at
            // the end (smtplib, MailKit); past this many bytes closing is fair (RFC 5321 section 4.5.3.1.10).
            _items.Enqueue(new ClientItem(ClientItemKind.DataAbandoned, null, _dataBytes, _bare));
            _mode = Mode.Abandoned;
        }

        return bytes.Length;
    }

    private void ForwardContent(ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty)
        {
            return;
        }

        if (!_discarding && _forwardedContent + content.Length > maxMessageSize)
        {
            // Over the limit for sure: from here on nothing is kept, only counted to the end of DATA.
            _discarding = true;
        }

        if (!_discarding)
        {
            Output.Write(content);
            _forwardedContent += content.Length;
        }
    }

    private void EndData()
    {
        // _dataBytes counted the "." and CR of the terminator, which are not content.
        var content = Math.Max(0, _dataBytes - 2);
        Output.Write(LibraryDataEnd.For(content, truncated: _discarding));
        _items.Enqueue(new ClientItem(ClientItemKind.DataComplete, null, content, _bare, Oversize: content > maxMessageSize));
        _mode = Mode.Command;
        _previousWasCr = false;
    }

    private static string Preview(ReadOnlySpan<byte> span)
    {
        var text = Encoding.UTF8.GetString(span[..Math.Min(span.Length, 80)]);
        return $"{text}... ({span.Length} bytes without CRLF)";
    }
}
