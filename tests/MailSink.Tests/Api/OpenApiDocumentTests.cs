using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MailSink.Api;
using MailSink.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace MailSink.Tests.Api;

/// <summary>
/// /openapi/v1.json from a running server (real Kestrel, MailSink.Testing's in-process server) against the routes
/// the app really mapped: a handler returning a bare IResult, an anonymous type or a file without Produces leaves a
/// hole in the document, and these tests name the route.
/// </summary>
public sealed partial class OpenApiDocumentTests : IAsyncLifetime
{
    private MailSinkServer _sink = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _sink = await MailSinkServer.StartAsync(new MailSinkServerOptions { EnableTlsListeners = false });
        _http = new HttpClient { BaseAddress = _sink.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task Every_api_v1_route_documents_its_success_response_with_a_schema()
    {
        var routes = MappedRoutes(ApiRoutes.Prefix);
        Assert.True(routes.Count >= 25, $"only {routes.Count} routes under {ApiRoutes.Prefix}: is the EndpointDataSource the app's?");

        var document = JsonNode.Parse(await _http.GetStringAsync(ApiDocs.DocumentPath))!;
        var holes = routes.Select(r => Hole(document, r.Method, r.Path) is { } why ? $"{r.Method} {r.Path}: {why}" : null)
            .OfType<string>()
            .ToList();

        Assert.True(holes.Count == 0, "Routes /openapi/v1.json does not describe:\n" + string.Join("\n", holes));
    }

    [Theory]
    [InlineData("/api/v1/message/{id}", "get")]
    [InlineData("/api/v1/search", "delete")]
    [InlineData("/api/v1/wait", "get")]
    [InlineData("/api/v1/tags/{tag}", "put")]
    public async Task A_route_that_can_answer_a_problem_documents_it_as_RFC_9457(string path, string method)
    {
        var document = JsonNode.Parse(await _http.GetStringAsync(ApiDocs.DocumentPath))!;

        var problem = document["paths"]?[path]?[method]?["responses"]?["default"]?["content"]?["application/problem+json"]?["schema"];
        Assert.True(problem is not null, $"{method.ToUpperInvariant()} {path} documents no application/problem+json answer");
        var properties = ResolveSchema(document, problem!)["properties"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Subset(new HashSet<string>(properties), new HashSet<string> { "type", "title", "status", "detail", "instance" });
    }

    private static JsonNode ResolveSchema(JsonNode document, JsonNode schema) =>
        schema["$ref"]?.GetValue<string>() is { } reference
            ? document["components"]!["schemas"]![reference.Split('/')[^1]]!
            : schema;

    [Fact]
    public async Task The_API_reference_page_and_its_script_are_served_from_MailSink_itself()
    {
        using var page = await _http.GetAsync($"{ApiDocs.Path}/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("openapi/v1.json", html);

        // Every script the page loads is relative (served here), and nothing points at a CDN or the fonts server.
        var scripts = ScriptSources().Matches(html).Select(m => m.Groups["src"].Value).ToList();
        Assert.NotEmpty(scripts);
        Assert.All(scripts, src => Assert.DoesNotMatch("^(https?:)?//", src));
        Assert.DoesNotContain("\"withDefaultFonts\":true", html);
        Assert.Contains("\"telemetry\":false", html);
        foreach (var src in scripts)
        {
            using var script = await _http.GetAsync($"{ApiDocs.Path}/{src}");
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 1000, $"{src} is (nearly) empty");
        }

        using var bare = await _http.GetAsync(ApiDocs.Path);
        Assert.True(bare.IsSuccessStatusCode || bare.StatusCode == HttpStatusCode.Redirect, $"{ApiDocs.Path}: {(int)bare.StatusCode}");
    }

    /// <summary>Why the document does not describe this route's success, or null when it does.</summary>
    private static string? Hole(JsonNode document, string method, string path)
    {
        if (document["paths"]?[path]?[method.ToLowerInvariant()] is not JsonObject operation)
        {
            return "not in the document";
        }

        if (operation["responses"] is not JsonObject responses)
        {
            return "no responses";
        }

        var success = responses.Where(r => r.Key.StartsWith('2')).ToList();
        if (success.Count == 0)
        {
            return $"no 2xx response (only {string.Join(", ", responses.Select(r => r.Key))})";
        }

        foreach (var (status, response) in success)
        {
            if (status == "204")
            {
                continue; // No Content: nothing to describe.
            }

            if (response?["content"] is not JsonObject content || content.Count == 0)
            {
                return $"{status} has no content";
            }

            foreach (var (mediaType, media) in content)
            {
                if (!IsDescribed(document, media?["schema"]))
                {
                    return $"{status} {mediaType} has an empty schema";
                }
            }
        }

        return null;
    }

    private static bool IsDescribed(JsonNode document, JsonNode? schema)
    {
        if (schema is not JsonObject obj || obj.Count == 0)
        {
            return false;
        }

        if (obj["$ref"]?.GetValue<string>() is { } reference)
        {
            var name = reference.Split('/')[^1];
            return document["components"]?["schemas"]?[name] is JsonObject target
                && (target["properties"] is JsonObject { Count: > 0 } || target["type"] is not null || target["enum"] is not null);
        }

        return obj["type"] is not null || obj["oneOf"] is not null || obj["anyOf"] is not null;
    }

    /// <summary>(method, OpenAPI path) for every route endpoint the app mapped under <paramref name="prefix"/>.</summary>
    private List<(string Method, string Path)> MappedRoutes(string prefix) =>
        _sink.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Path: OpenApiPath(e.RoutePattern)))
            .Where(e => e.Path == prefix || e.Path.StartsWith(prefix + "/", StringComparison.Ordinal))
            .SelectMany(e => (e.Endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, e.Path)))
            .Distinct()
            .OrderBy(r => r.Path, StringComparer.Ordinal).ThenBy(r => r.m, StringComparer.Ordinal)
            .ToList();

    private static string OpenApiPath(RoutePattern pattern) =>
        "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => $"{{{parameter.Name}}}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        }))));

    [GeneratedRegex("<script[^>]*\\bsrc=\"(?<src>[^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptSources();
}
