using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace MailSink.EndToEnd.Browser.Infrastructure;

/// <summary>
/// A tiny HTTP listener on loopback that records every request. Hostile test mail points its scripts,
/// event handlers and remote images here: a request arriving means something loaded or ran.
/// </summary>
internal sealed class CanaryServer : IAsyncDisposable
{
    // A 1x1 transparent GIF, so a loaded image is a real image.
    private static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly Task _loop;

    public CanaryServer()
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    /// <summary>Base URL without a trailing slash.</summary>
    public string Url { get; }

    /// <summary>Paths requested so far, in order.</summary>
    public IReadOnlyList<string> Requests => _requests.ToArray();

    private async Task AcceptAsync()
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

            _requests.Enqueue(context.Request.Url?.PathAndQuery ?? "?");
            context.Response.ContentType = "image/gif";
            context.Response.Headers["Access-Control-Allow-Origin"] = "*";
            await context.Response.OutputStream.WriteAsync(Pixel);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
