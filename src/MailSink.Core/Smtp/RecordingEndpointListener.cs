using System.Net;
using System.Net.Sockets;
using MailSink.Faults;
using MailSink.Options;
using SmtpServer;
using SmtpServer.IO;
using SmtpServer.Net;

namespace MailSink.Smtp;

/// <summary>
/// Accepts connections for one bound socket and wraps each in a <see cref="RecordingDuplexPipe"/>,
/// so every session is recorded from its first byte. Over the connection limit a client is told
/// 421 4.7.0 and closed instead of being queued; on an implicit-TLS listener it is only closed, because
/// a plaintext reply there reaches a TLS client as garbage (OpenSSL's "wrong version number"). Once
/// <see cref="SmtpShutdown"/> drains, the socket is closed (new clients are refused by the OS) and no more
/// connections are handed over.
/// </summary>
internal sealed class RecordingEndpointListener(
    BoundListener listener,
    SessionRecorderFactory recorders,
    ActiveSessions active,
    SmtpShutdown shutdown,
    TlsFailureExplainer explainer,
    TimeProvider time,
    int maxConnections,
    FaultHooks faults) : IEndpointListener
{
    private int _open;

    public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await listener.Socket.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (shutdown.IsDraining && ex is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                // The drain closed the socket. SmtpServer calls again at once after a failed accept, so wait here
                // until it cancels the listeners instead of failing in a tight loop.
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                throw;
            }

            if (shutdown.IsDraining)
            {
                client.Dispose();
                continue;
            }

            // Replies are small and latency matters more than packet count (Nagle adds 40 ms a reply).
            client.NoDelay = true;
            if (Interlocked.Increment(ref _open) > maxConnections)
            {
                Interlocked.Decrement(ref _open);
                await RefuseAsync(client, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var remote = (IPEndPoint)client.Client.RemoteEndPoint!;
            var local = (IPEndPoint)client.Client.LocalEndPoint!;
            context.Properties[EndpointListener.LocalEndPointKey] = local;
            context.Properties[EndpointListener.RemoteEndPointKey] = remote;

            var recorder = recorders.Create(listener, remote, local);
            context.AttachRecorder(recorder);
            active.Add(recorder);
            var faulted = faults.Connected(context, recorder, listener.Name, remote);

            var stream = client.GetStream();
            return new RecordingDuplexPipe(stream, recorder, shutdown, explainer, time, faulted, () =>
            {
                Interlocked.Decrement(ref _open);
                stream.Dispose();
                client.Dispose();
            });
        }
    }

    public void Dispose() => listener.Socket.Stop();

    private async Task RefuseAsync(TcpClient client, CancellationToken cancellationToken)
    {
        if (listener.Options.Tls == ListenerTls.Implicit)
        {
            // RFC 8314 section 3.3: on an implicit-TLS port everything, refusals included, is TLS or nothing.
            client.Dispose();
            return;
        }

        try
        {
            await client.GetStream().WriteAsync("421 4.7.0 Too many connections, try again later\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The client is gone already; nothing to tell it.
        }
        finally
        {
            client.Dispose();
        }
    }
}
