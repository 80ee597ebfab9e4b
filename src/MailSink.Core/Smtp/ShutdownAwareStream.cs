namespace MailSink.Smtp;

/// <summary>
/// Sits above <see cref="RecordingStream"/> (so the 421 is recorded in the transcript and, under TLS, encrypted)
/// and ends a session at a command boundary once <see cref="SmtpShutdown"/> drains: a read for the next command
/// is answered with <see cref="SmtpShutdown.Reply"/> and end of input, which SmtpServer takes as a closed
/// connection. A read that starts inside DATA is left alone, so the message can still be stored and answered.
/// </summary>
internal sealed class ShutdownAwareStream(Stream inner, SessionRecorder recorder, SmtpShutdown shutdown) : ConnectionStream(inner)
{
    private static readonly byte[] Reply = System.Text.Encoding.ASCII.GetBytes(SmtpShutdown.Reply);
    private bool _closed;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_closed)
        {
            return 0;
        }

        if (recorder.IsInData)
        {
            return await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        if (shutdown.IsDraining)
        {
            return await CloseAsync(cancellationToken).ConfigureAwait(false);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, shutdown.Draining);
        try
        {
            return await Inner.ReadAsync(buffer, linked.Token).ConfigureAwait(false);
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
            await Inner.WriteAsync(Reply, cancellationToken).ConfigureAwait(false);
            await Inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The client left first; there is no one to tell.
        }

        return 0;
    }
}
