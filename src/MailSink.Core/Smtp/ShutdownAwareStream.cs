namespace MailSink.Smtp;

/// <summary>
/// Sits above <see cref="RecordingStream"/> (so the 421 is recorded in the transcript and, under TLS, encrypted)
/// and ends a session at a command boundary once <see cref="SmtpShutdown"/> drains: a read for the next command
/// is answered with <see cref="SmtpShutdown.Reply"/> and end of input, which SmtpServer takes as a closed
/// connection. A read that starts inside DATA is left alone, so the message can still be stored and answered.
/// </summary>
internal sealed class ShutdownAwareStream(Stream inner, SessionRecorder recorder, SmtpShutdown shutdown) : Stream
{
    private static readonly byte[] Reply = System.Text.Encoding.ASCII.GetBytes(SmtpShutdown.Reply);
    private bool _closed;

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
        if (_closed)
        {
            return 0;
        }

        if (recorder.IsInData)
        {
            return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        if (shutdown.IsDraining)
        {
            return await CloseAsync(cancellationToken).ConfigureAwait(false);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shutdown.Draining);
        try
        {
            return await inner.ReadAsync(buffer, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (shutdown.IsDraining && !cancellationToken.IsCancellationRequested)
        {
            return await CloseAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<int> CloseAsync(CancellationToken cancellationToken)
    {
        _closed = true;
        recorder.ClosedForShutdown();
        try
        {
            await inner.WriteAsync(Reply, cancellationToken).ConfigureAwait(false);
            await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The client left first; there is no one to tell.
        }

        return 0;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

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
