using System.Text;

namespace MailSink.Smtp;

/// <summary>
/// Sits between SmtpServer's pipes and the connection (above SslStream when TLS is on), so the
/// recorder sees decrypted text. Server replies are rewritten (enhanced status codes) and recorded
/// once the write completed; client bytes are recorded as read, and an overlong command line ends
/// the connection with 500 5.5.2 before it can grow without bound.
/// </summary>
internal sealed class RecordingStream(Stream inner, SessionRecorder recorder) : Stream
{
    private static readonly byte[] EmptyDataPrefix = "\r\n"u8.ToArray();
    private readonly MemoryStream _partialReply = new();
    private byte[]? _carry;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_carry is { } carry)
        {
            var n = Math.Min(carry.Length, buffer.Length);
            carry.AsSpan(0, n).CopyTo(buffer.Span);
            _carry = n == carry.Length ? null : carry[n..];
            return n;
        }

        var atDataStart = recorder.AtDataStart;
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            recorder.ClientClosed();
            return 0;
        }

        if (!recorder.RecordClientBytes(buffer.Span[..read]))
        {
            // RFC 5321 section 4.5.3.1.4 caps command lines at 512 octets; we allow more but never without bound.
            await inner.WriteAsync("500 5.5.2 Line too long\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            recorder.RecordGreetingOrReply("500 5.5.2 Line too long\r\n"u8);
            throw new IOException("Command line too long; connection closed.");
        }

        if (atDataStart && buffer.Span[..read].StartsWith(".\r\n"u8))
        {
            // SmtpServer 11.1.0 only recognises CRLF "." CRLF after content, so an empty message
            // (DATA then "." at once) hangs until timeout (FIELD-NOTES). Give it the CRLF it looks for.
            _carry = buffer.Span[..read].ToArray();
            EmptyDataPrefix.CopyTo(buffer.Span);
            return EmptyDataPrefix.Length;
        }

        return read;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _partialReply.Write(buffer.Span);
        var pending = _partialReply.GetBuffer().AsMemory(0, (int)_partialReply.Length);
        var lastCrlf = pending.Span.LastIndexOf("\r\n"u8);
        if (lastCrlf < 0)
        {
            return;
        }

        var complete = Encoding.UTF8.GetString(pending.Span[..(lastCrlf + 2)]);
        var rest = pending[(lastCrlf + 2)..].ToArray();
        _partialReply.SetLength(0);
        _partialReply.Write(rest);

        var bytes = Encoding.UTF8.GetBytes(ReplyRewriter.RewriteReplies(complete, recorder.PendingReplies()));
        await inner.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);

        // Recorded only after the write completed: on timeout the library writes with a cancelled token.
        recorder.RecordGreetingOrReply(bytes);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Synchronous I/O is not used.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Synchronous I/O is not used.");

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
