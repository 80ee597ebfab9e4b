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

        var emptyDataAt = Record(buffer.Span[..read], atDataStart, out var withinLimit);
        if (!withinLimit)
        {
            // RFC 5321 section 4.5.3.1.4 caps command lines at 512 octets; we allow more but never without bound.
            await inner.WriteAsync("500 5.5.2 Line too long\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            recorder.RecordGreetingOrReply("500 5.5.2 Line too long\r\n"u8);
            throw new IOException("Command line too long; connection closed.");
        }

        if (emptyDataAt >= 0)
        {
            // Give the library the CRLF it looks for; the real bytes follow from _carry.
            _carry = buffer.Span[emptyDataAt..read].ToArray();
            EmptyDataPrefix.CopyTo(buffer.Span[emptyDataAt..]);
            return emptyDataAt + EmptyDataPrefix.Length;
        }

        return read;
    }

    /// <summary>
    /// Records what the client sent. SmtpServer 11.1.0 only recognises CRLF "." CRLF after content,
    /// so an empty message (DATA then "." at once) hangs until timeout (FIELD-NOTES). Returns where
    /// such a "." starts in <paramref name="chunk"/> (at its start, or right after a pipelined DATA
    /// line in it), or -1.
    /// </summary>
    private int Record(ReadOnlySpan<byte> chunk, bool atDataStart, out bool withinLimit)
    {
        var emptyDataAt = atDataStart && chunk.StartsWith(".\r\n"u8) ? 0 : -1;
        var recorded = 0;
        withinLimit = true;
        if (emptyDataAt < 0)
        {
            foreach (var candidate in PipelinedEmptyDataCandidates(chunk))
            {
                // Only a DATA the parser took as a command counts (not the word inside message content).
                if (!RecordClient(chunk[recorded..candidate]))
                {
                    withinLimit = false;
                    return -1;
                }

                recorded = candidate;
                if (recorder.AtDataStart)
                {
                    emptyDataAt = candidate;
                    break;
                }
            }
        }

        withinLimit = RecordClient(chunk[recorded..]);
        return withinLimit ? emptyDataAt : -1;
    }

    private bool RecordClient(ReadOnlySpan<byte> bytes) => bytes.IsEmpty || recorder.RecordClientBytes(bytes);

    /// <summary>Offsets of "." CRLF right after a "DATA" CRLF line within one read (pipelined empty message).</summary>
    private static List<int> PipelinedEmptyDataCandidates(ReadOnlySpan<byte> chunk)
    {
        var result = new List<int>();
        for (var i = chunk.IndexOf(".\r\n"u8); i >= 0;)
        {
            if (i >= 6 && Ascii.EqualsIgnoreCase(chunk.Slice(i - 6, 4), "DATA"u8) && chunk.Slice(i - 2, 2).SequenceEqual("\r\n"u8)
                && (i == 6 || chunk[i - 7] == (byte)'\n'))
            {
                result.Add(i);
            }

            var next = chunk[(i + 1)..].IndexOf(".\r\n"u8);
            i = next < 0 ? -1 : i + 1 + next;
        }

        return result;
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
