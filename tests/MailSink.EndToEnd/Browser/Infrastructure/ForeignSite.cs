using System.Text;

namespace MailSink.EndToEnd.Browser.Infrastructure;

/// <summary>
/// A page on another origin (a second HTTP listener on loopback, on another port than MailSink's), standing in
/// for the hostile site a developer visits while the inbox is open. Serves one HTML page at "/".
/// </summary>
internal sealed class ForeignSite : IAsyncDisposable
{
    private readonly LoopbackHttpServer _server;

    public ForeignSite(string html)
    {
        var page = Encoding.UTF8.GetBytes(html);
        _server = new LoopbackHttpServer(async context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.OutputStream.WriteAsync(page);
        });
    }

    /// <summary>The page's URL, with a trailing slash.</summary>
    public string Url => _server.Url;

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
