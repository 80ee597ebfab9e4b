using System.Net;
using System.Net.Sockets;

namespace MailSink.EndToEnd.Browser.Infrastructure;

/// <summary>
/// A small HTTP listener on a free loopback port, answering every request with <c>respond</c>: the other origins
/// the browser tests need (a hostile site that frames the inbox, a canary that records what hostile mail loads).
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, Task> _respond;
    private readonly Task _loop;

    public LoopbackHttpServer(Func<HttpListenerContext, Task> respond)
    {
        _respond = respond;
        Url = $"http://127.0.0.1:{FreePort()}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The server's URL, with a trailing slash.</summary>
    public string Url { get; }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            await _respond(context);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
