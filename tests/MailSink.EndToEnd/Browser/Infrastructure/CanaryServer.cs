using System.Collections.Concurrent;

namespace MailSink.EndToEnd.Browser.Infrastructure;

/// <summary>
/// A tiny HTTP listener on loopback that records every request. Hostile test mail points its scripts,
/// event handlers and remote images here: a request arriving means something loaded or ran.
/// </summary>
internal sealed class CanaryServer : IAsyncDisposable
{
    // A 1x1 transparent GIF, so a loaded image is a real image.
    private static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private readonly ConcurrentQueue<string> _requests = new();
    private readonly LoopbackHttpServer _server;

    public CanaryServer()
    {
        _server = new LoopbackHttpServer(async context =>
        {
            _requests.Enqueue(context.Request.Url?.PathAndQuery ?? "?");
            context.Response.ContentType = "image/gif";
            context.Response.Headers["Access-Control-Allow-Origin"] = "*";
            await context.Response.OutputStream.WriteAsync(Pixel);
        });
    }

    /// <summary>Base URL without a trailing slash.</summary>
    public string Url => _server.Url.TrimEnd('/');

    /// <summary>Paths requested so far, in order.</summary>
    public IReadOnlyList<string> Requests => _requests.ToArray();

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
