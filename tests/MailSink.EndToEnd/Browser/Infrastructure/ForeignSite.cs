using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailSink.EndToEnd.Browser.Infrastructure;

/// <summary>
/// A page on another origin (a second HTTP listener on loopback, on another port than MailSink's), standing in
/// for the hostile site a developer visits while the inbox is open. Serves one HTML page at "/".
/// </summary>
internal sealed class ForeignSite : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly byte[] _page;
    private readonly Task _loop;

    public ForeignSite(string html)
    {
        _page = Encoding.UTF8.GetBytes(html);
        Url = $"http://127.0.0.1:{FreePort()}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The page's URL, with a trailing slash.</summary>
    public string Url { get; }

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

            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.OutputStream.WriteAsync(_page);
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
