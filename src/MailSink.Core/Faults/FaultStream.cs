using System.Text;

namespace MailSink.Faults;

/// <summary>
/// The outermost layer of a connection (above the transcript recorder, so the transcript shows what the client
/// really got): when a rule fired for the reply being written, it delays that reply, replaces it with the rule's,
/// holds it until the client gives up, or swallows it; after a closing fault every later write is swallowed and
/// reads end, which SmtpServer takes as a closed connection and ends the session.
/// </summary>
internal sealed class FaultStream(Stream inner, SessionFaults faults) : MailSink.Smtp.ConnectionStream(inner)
{
    // SmtpServer appends this to replies of failed commands; a fault's reply is exact, except that the last
    // retry's marker is kept so the recorder still adds the 421 the library forgets (ReplyRewriter).
    private const string LastRetryMarker = ", 0 retry(ies) remaining.";
    private readonly byte[] _holdBuffer = new byte[4096];
    private bool _closed;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _closed ? ValueTask.FromResult(0) : Inner.ReadAsync(buffer, cancellationToken);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_closed)
        {
            return;
        }

        if (faults.TakeArmed() is not { } fault)
        {
            await Inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            if (fault.Delay > TimeSpan.Zero)
            {
                await Task.Delay(fault.Delay, faults.Time, cancellationToken).ConfigureAwait(false);
            }

            if (fault.HoldUntilClientLeaves)
            {
                await HoldAsync(cancellationToken).ConfigureAwait(false);
            }

            if (!fault.Silent)
            {
                var reply = fault.Reply is null ? buffer : Replace(buffer, fault.Reply);
                await Inner.WriteAsync(reply, cancellationToken).ConfigureAwait(false);
                await Inner.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _closed |= fault.Close;
        }
    }

    private static byte[] Replace(ReadOnlyMemory<byte> original, string reply)
    {
        var lastRetry = Encoding.UTF8.GetString(original.Span).Contains(LastRetryMarker, StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(reply + (lastRetry ? LastRetryMarker : "") + "\r\n");
    }

    /// <summary>
    /// Sends nothing until the client closes its side (what a client does when its own timeout expires) or the
    /// hold ends. Anything the client sends meanwhile is read (and so recorded) but never answered.
    /// </summary>
    private async Task HoldAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var expired = Task.Delay(faults.TimeoutHold, faults.Time, stop.Token);
        try
        {
            while (true)
            {
                var read = Inner.ReadAsync(_holdBuffer, stop.Token).AsTask();
                if (await Task.WhenAny(read, expired).ConfigureAwait(false) == expired || await read.ConfigureAwait(false) == 0)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The client reset the connection: it gave up.
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => _closed ? Task.CompletedTask : Inner.FlushAsync(cancellationToken);

    public override void Flush()
    {
        // Writes are flushed asynchronously; nothing is buffered here.
    }
}
