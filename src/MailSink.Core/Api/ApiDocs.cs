using Scalar.AspNetCore;

namespace MailSink.Api;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>, generated from the typed handlers) and a browsable reference of it
/// at <see cref="Path"/> (Scalar). Scalar's script ships inside its NuGet package and is served from here, so the page
/// works offline; what would reach the internet is switched off: the web fonts (fonts.scalar.com), telemetry, and the
/// AI agent and MCP panels. Both are ordinary routes, so the loopback host filter and Web authentication cover them.
/// </summary>
internal static class ApiDocs
{
    public const string Path = "/api/docs";
    public const string DocumentPath = "/openapi/v1.json";

    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder app)
    {
        // Not app.MapOpenApi(): that needs AddOpenApi at start-up, which costs idle memory (see OpenApiOnDemand).
        OpenApiOnDemand.Map(app);
        app.MapScalarApiReference(Path, options => options
            .WithTitle("MailSink API")
            .WithOpenApiRoutePattern(OpenApiOnDemand.Pattern)
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp());
        return app;
    }
}
