using System.Buffers;

namespace MailSink.Smtp;

/// <summary>
/// The bytes SmtpServer reads next. The client's bytes pass through here instead of straight to the
/// library so that MailSink can answer some input itself (AUTH, oversize DATA) and hand the library
/// a stand-in it answers in order (see <see cref="ClientStreamParser"/> and <see cref="SessionRecorder"/>).
/// It only ever holds what one read from the client produced.
/// </summary>
internal sealed class LibraryInputQueue
{
    private readonly ArrayBufferWriter<byte> _bytes = new();
    private int _taken;

    public bool IsEmpty => _taken == _bytes.WrittenCount;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.IsEmpty)
        {
            _bytes.Write(bytes);
        }
    }

    public void Clear()
    {
        _bytes.ResetWrittenCount();
        _taken = 0;
    }

    public int Take(Span<byte> destination)
    {
        var available = _bytes.WrittenSpan[_taken..];
        var n = Math.Min(available.Length, destination.Length);
        available[..n].CopyTo(destination);
        _taken += n;
        if (_taken == _bytes.WrittenCount)
        {
            _bytes.ResetWrittenCount();
            _taken = 0;
        }

        return n;
    }
}
