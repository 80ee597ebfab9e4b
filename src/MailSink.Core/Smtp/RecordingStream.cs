using System.Text;

namespace MailSink.Smtp;

/// <summary>
/// Sits between SmtpServer's pipes and the connection (above SslStream when TLS is on), so the
/// recorder sees decrypted text. Server replies are rewritten (enhanced status codes) and recorded
/// once the write completed. Client bytes go through the recorder before the library reads them:
/// it may answer some lines itself and hand the library a stand-in (AUTH), drop DATA content past
/// the size limit, and close the connection with a reply when a limit SmtpServer 11.1.0 cannot
/// enforce is passed (an overlong line, an endless oversize DATA, a command or DATA that trickles in).
/// </summary>
internal sealed class RecordingStream(Stream inner, SessionRecorder recorder) : ConnectionStream(inner)
{
    private readonly TimeProvider _time = recorder.Time;
    private readonly MemoryStream _partialReply = new();
    private bool _closed;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var ready = recorder.TakeLibraryInput(buffer.Span);
            if (ready > 0)
            {
                return ready;
            }

            if (_closed)
            {
                // The library sees the end of the stream and ends the session quietly.
                return 0;
            }

            var read = await ReadClientAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read < 0)
            {
                return 0;
            }

            if (read == 0)
            {
                recorder.ClientClosed();
                return 0;
            }

            if (!recorder.RecordClientBytes(buffer.Span[..read]))
            {
                // RFC 5321 section 4.5.3.1.4 caps command lines at 512 octets; we allow more but never without bound.
                await Inner.WriteAsync("500 5.5.2 Line too long\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                recorder.RecordGreetingOrReply("500 5.5.2 Line too long\r\n"u8);
                throw new IOException("Command line too long; connection closed.");
            }

            if (recorder.CloseReply is { } reply)
            {
                await CloseWithAsync(reply).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// One read from the client within the deadline the recorder gives (DATA and a started command
    /// line are bounded; RFC 5321 section 4.5.3.2). Past it the client is told 421 4.4.2 and the
    /// connection is closed; returns -1 then.
    /// </summary>
    private async ValueTask<int> ReadClientAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var (remaining, timeoutReply) = recorder.NextReadDeadline();

        // A timer cannot run past ~24.8 days (int milliseconds); a limit set that high is no limit.
        if (remaining == Timeout.InfiniteTimeSpan || remaining.TotalMilliseconds > int.MaxValue - 1)
        {
            return await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        using var deadline = new CancellationTokenSource(remaining, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await Inner.ReadAsync(buffer, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await CloseWithAsync(timeoutReply).ConfigureAwait(false);
            return -1;
        }
    }

    /// <summary>
    /// Sends a last reply and ends the conversation: the library reads the end of the stream next,
    /// and whatever it still writes (its reply to an unfinished DATA) is not sent.
    /// </summary>
    private async Task CloseWithAsync(string reply)
    {
        _closed = true;
        var bytes = Encoding.ASCII.GetBytes(reply + "\r\n");
        try
        {
            using var writeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10), _time);
            await Inner.WriteAsync(bytes, writeTimeout.Token).ConfigureAwait(false);
            await Inner.FlushAsync(writeTimeout.Token).ConfigureAwait(false);
            recorder.RecordGreetingOrReply(bytes);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone or not reading; closing is all that is left.
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_closed)
        {
            return;
        }

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
        await Inner.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);

        // Recorded only after the write completed: on timeout the library writes with a cancelled token.
        recorder.RecordGreetingOrReply(bytes);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => _closed ? Task.CompletedTask : Inner.FlushAsync(cancellationToken);
}
