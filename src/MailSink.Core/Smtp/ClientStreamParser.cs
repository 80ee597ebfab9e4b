using System.Buffers;
using System.Text;

namespace MailSink.Smtp;

internal enum ClientItemKind
{
    CommandLine,
    DataComplete,
    LineTooLong,
}

internal readonly record struct ClientItem(ClientItemKind Kind, string? Text, long Bytes, bool BareLineEndings);

/// <summary>
/// Splits the client's byte stream into command lines and DATA content the way SmtpServer does:
/// commands end at CRLF, and DATA ends only at CRLF "." CRLF (a bare LF or CR never ends it,
/// which is what keeps SMTP smuggling out; we flag such bytes instead).
/// </summary>
internal sealed class ClientStreamParser(int maxCommandLineLength)
{
    private enum Mode
    {
        Command,
        AwaitingDataReply,
        Data,
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

    public int MaxCommandLineLength { get; } = maxCommandLineLength;

    public bool IsAwaitingDataReply => _mode == Mode.AwaitingDataReply;

    /// <summary>Content bytes received so far when the client is in the middle of DATA, else null.</summary>
    public long? PartialDataBytes => _mode == Mode.Data ? _dataBytes : null;

    /// <summary>After DATA (answered or not yet) and before any content byte.</summary>
    public bool AtDataStart => _mode == Mode.AwaitingDataReply ? _pending.WrittenCount == 0 : _mode == Mode.Data && _dataBytes == 0;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_mode == Mode.Data)
        {
            var consumed = ScanData(bytes);
            bytes = bytes[consumed..];
        }

        if (!bytes.IsEmpty)
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
            var rest = span[(end + 2)..].ToArray();
            _pending.Clear();
            _items.Enqueue(new ClientItem(ClientItemKind.CommandLine, line, end, false));
            if (line.Trim().Equals("DATA", StringComparison.OrdinalIgnoreCase))
            {
                // What follows DATA is content only if the server answers 354: hold it until the reply.
                _mode = Mode.AwaitingDataReply;
            }

            _pending.Write(rest);
        }
    }

    /// <summary>Consumes DATA content; returns how many bytes belonged to it (including the terminator).</summary>
    private int ScanData(ReadOnlySpan<byte> bytes)
    {
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
                    _match = DataMatch.Dot;
                    break;
                case DataMatch.Dot when b == (byte)'\r':
                    _match = DataMatch.DotCr;
                    break;
                case DataMatch.DotCr when b == (byte)'\n':
                    _items.Enqueue(new ClientItem(ClientItemKind.DataComplete, null, Math.Max(0, _dataBytes - 2), _bare));
                    _mode = Mode.Command;
                    _previousWasCr = false;
                    return i + 1;
                default:
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

        return bytes.Length;
    }

    private static string Preview(ReadOnlySpan<byte> span)
    {
        var text = Encoding.UTF8.GetString(span[..Math.Min(span.Length, 80)]);
        return $"{text}... ({span.Length} bytes without CRLF)";
    }
}
