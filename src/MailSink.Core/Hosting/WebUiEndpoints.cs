using Microsoft.AspNetCore.StaticFiles;

namespace MailSink.Hosting;

/// <summary>
/// Serves the built web UI from wwwroot (web-ui/ builds into it). Vite names assets by content hash, so they
/// can be cached for a year; index.html names the current hashes, so it is revalidated every time.
/// Any other path that is not the API or the hub gets index.html, so client-side routes survive a reload.
/// </summary>
internal static class WebUiEndpoints
{
    private const string AssetsPrefix = "/assets/";
    private const string IndexFile = "index.html";

    public static WebApplication MapWebUi(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions
        {
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context => SetCacheHeaders(context.Context),
        });

        app.MapFallback("{*path:nonfile}", ServeIndexAsync).ExcludeFromDescription();
        return app;
    }

    private static void SetCacheHeaders(HttpContext context)
    {
        context.Response.Headers.CacheControl = context.Request.Path.Value?.StartsWith(AssetsPrefix, StringComparison.Ordinal) == true
            ? "public, max-age=31536000, immutable"
            : "no-cache";
    }

    private static async Task ServeIndexAsync(HttpContext context, IWebHostEnvironment env)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs"))
        {
            await TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Not found",
                detail: $"No API endpoint matches '{path}'. See /openapi/v1.json for the list.").ExecuteAsync(context);
            return;
        }

        var index = env.WebRootFileProvider.GetFileInfo(IndexFile);
        if (!index.Exists)
        {
            await TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Web UI not built",
                detail: "wwwroot/index.html is missing. Build without SkipWebUi=true, or run 'npm run build' in web-ui/.")
                .ExecuteAsync(context);
            return;
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.SendFileAsync(index, context.RequestAborted);
    }
}
