using System.Globalization;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace MailSink.Api;

/// <summary>
/// Serves <c>/openapi/{documentName}.json</c> as <c>MapOpenApi</c> does (same document, same bytes), but builds
/// ASP.NET Core's OpenAPI generator on the first request for a document instead of at start-up (issue 12).
/// <c>services.AddOpenApi()</c> in the app loads Microsoft.AspNetCore.OpenApi, Microsoft.OpenApi, the ApiExplorer and
/// Mvc.Core and JIT-compiles their registration for a document a developer fetches now and then: idle RSS was
/// 101.1-102.0 MB with it, 98.6-99.2 MB without (three alternating runs each, sum of Rss in /proc/PID/smaps).
/// Here the generator lives in a small container of its own, built once, that sees the app through the few services
/// it reads (endpoints, environment, JSON options, route constraints, logging, which parameters are services).
/// The route is an ordinary endpoint, so the loopback host filter and Web authentication cover it as before.
/// Nothing in this class's fields or <see cref="Map"/> names an OpenAPI type: those load when the handler first runs.
/// </summary>
internal sealed class OpenApiOnDemand
{
    public const string Pattern = "/openapi/{documentName}.json";
    private const string DocumentName = "v1";

    private readonly Lazy<IServiceProvider> _generator;

    private OpenApiOnDemand(IServiceProvider app) =>
        _generator = new Lazy<IServiceProvider>(() => BuildGenerator(app), LazyThreadSafetyMode.ExecutionAndPublication);

    public static IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints)
    {
        var documents = new OpenApiOnDemand(endpoints.ServiceProvider);
        // A plain lambda, not the async method itself: routing reads the handler method's attributes at start-up, and
        // an async method's [AsyncStateMachine] names its state machine, whose awaiter fields load Microsoft.OpenApi.
        return endpoints.MapGet(Pattern, context => documents.WriteDocumentAsync(context)).ExcludeFromDescription();
    }

    /// <summary>What MapOpenApi's handler does (Microsoft.AspNetCore.OpenApi 10.0, OpenApiEndpointRouteBuilderExtensions).</summary>
    private async Task WriteDocumentAsync(HttpContext context)
    {
        // Document names are case-insensitive: AddOpenApi registers them lowercased.
        var name = (context.GetRouteValue("documentName") as string ?? DocumentName).ToLowerInvariant();
        var generator = _generator.Value;
        if (generator.GetKeyedService<IOpenApiDocumentProvider>(name) is not { } documents)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/plain;charset=utf-8";
            await context.Response.WriteAsync($"No OpenAPI document with the name '{name}' was found.", context.RequestAborted);
            return;
        }

        var document = await documents.GetOpenApiDocumentAsync(context.RequestAborted);
        // The public provider builds the document without the request; MapOpenApi lists the server it was asked on.
        var request = context.Request;
        document.Servers = [new OpenApiServer { Url = UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase) }];

        // Microsoft.OpenApi's writer is synchronous (Kestrel refuses synchronous body writes): render, then send.
        var version = generator.GetRequiredService<IOptionsMonitor<OpenApiOptions>>().Get(name).OpenApiVersion;
        using var json = new StringWriter(CultureInfo.InvariantCulture);
        await document.SerializeAsync(new OpenApiJsonWriter(json), version, context.RequestAborted);
        context.Response.ContentType = "application/json;charset=utf-8";
        await context.Response.WriteAsync(json.ToString(), context.RequestAborted);
    }

    private static ServiceProvider BuildGenerator(IServiceProvider app)
    {
        var services = new ServiceCollection();
        // The app's instances, so the document describes the app as it is: its endpoints (a host app's too, as with
        // MapOpenApi), its name (the document's title), the JSON shape of the API, its route constraints, its logs.
        services.AddSingleton(app.GetRequiredService<EndpointDataSource>());
        services.AddSingleton(app.GetRequiredService<IHostEnvironment>());
        services.AddSingleton(app.GetRequiredService<IOptions<JsonOptions>>());
        services.AddSingleton(app.GetRequiredService<ParameterPolicyFactory>());
        services.AddSingleton(app.GetRequiredService<ILoggerFactory>());
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddOpenApi(DocumentName, options => options.AddOperationTransformer<ProblemResponses>());

        // The ApiExplorer tells a handler's injected services from its query or body parameters by asking its own
        // container, which knows none of the app's services: give it the app's answer (its type is internal, hence
        // the descriptor's ImplementationType).
        var explorer = services.Single(d => d.ServiceType == typeof(IApiDescriptionProvider));
        var appServices = app.GetRequiredService<IServiceProviderIsService>();
        services.Remove(explorer);
        services.AddTransient(sp => (IApiDescriptionProvider)ActivatorUtilities.CreateInstance(sp, explorer.ImplementationType!, appServices));

        // MapOpenApi used a host app's own ApiExplorer when it had one (controllers, AddEndpointsApiExplorer): so do we.
        if (app.GetService<IApiDescriptionGroupCollectionProvider>() is { } appExplorer)
        {
            services.AddSingleton(appExplorer);
        }

        // Lives as long as the app; it owns nothing to dispose (the app's instances above are not its own).
        return services.BuildServiceProvider();
    }
}
