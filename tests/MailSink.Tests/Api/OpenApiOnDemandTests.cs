using System.Net;
using System.Text.Json.Nodes;
using MailSink.Api;
using MailSink.Hosting;
using MailSink.Tests.TestHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MailSink.Tests.Api;

/// <summary>
/// The OpenAPI generator is built on the first document request, not at start-up (issue 12: ~2.8 MB of idle RSS).
/// Checked on the real process through /proc/&lt;pid&gt;/maps, the assemblies the runtime has mapped: the test
/// process itself loads the OpenAPI assemblies for other tests, so an in-process check could not tell.
/// </summary>
public sealed class OpenApiOnDemandTests() : ProcessInTempFolder("mailsink-openapi-")
{
    private static readonly string[] Generator =
    [
        "Microsoft.AspNetCore.OpenApi.dll", "Microsoft.OpenApi.dll", "Microsoft.AspNetCore.Mvc.ApiExplorer.dll", "Microsoft.AspNetCore.Mvc.Core.dll",
    ];

    [Fact]
    public async Task The_generator_loads_on_the_first_document_request_and_not_before()
    {
        // Ready (so routing has built every endpoint) and the API reference page served: nothing of OpenAPI yet.
        using (var page = await Sink.Http.GetAsync($"{ApiDocs.Path}/"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        Assert.Empty(Loaded());

        using var document = await Sink.Http.GetAsync(ApiDocs.DocumentPath.TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        Assert.Equal("application/json", document.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"openapi\"", await document.Content.ReadAsStringAsync());

        // What the first check looked for does show up once the document is built, so the check can see it.
        Assert.Contains("Microsoft.AspNetCore.OpenApi.dll", Loaded());
    }

    [Fact]
    public async Task An_unknown_document_name_is_a_404_naming_it_as_MapOpenApi_answered()
    {
        using var answer = await Sink.Http.GetAsync("openapi/V2.json");

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Equal("text/plain", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal("No OpenAPI document with the name 'v2' was found.", await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task In_a_host_app_the_document_describes_the_app_s_own_endpoints_and_knows_its_services()
    {
        // MailSink as a library (AddMailSink/MapMailSink): the generator's container is not the app's, yet a handler
        // parameter that is one of the APP's services must still be left out, not documented as a request body.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = "HostApp", EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Server:DataDirectory"] = Path.Combine(Folder, "host"),
            ["Smtp:Smtp:Port"] = "0",
            ["Smtp:Submission:Enabled"] = "false",
            ["Smtp:Smtps:Enabled"] = "false",
        });
        builder.Services.AddSingleton<Greeter>();
        builder.AddMailSink();
        await using var app = builder.Build();
        app.MapMailSink();
        app.MapPost("/hello/{name}", (Greeter greeter, string name) => TypedResults.Ok(greeter.Greet(name)));
        await app.StartAsync();

        var document = JsonNode.Parse(await app.GetTestClient().GetStringAsync(ApiDocs.DocumentPath))!;

        Assert.Equal("HostApp | v1", document["info"]?["title"]?.GetValue<string>());
        Assert.NotNull(document["paths"]?["/api/v1/messages"]?["get"]);
        var hello = document["paths"]?["/hello/{name}"]?["post"];
        Assert.NotNull(hello);
        Assert.Null(hello["requestBody"]);
        Assert.Equal(["name"], hello["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        await app.StopAsync();
    }

    private sealed class Greeter
    {
        public string Greet(string name) => "hello " + name;
    }

    private List<string> Loaded() =>
        File.ReadLines($"/proc/{Sink.ProcessId}/maps")
            .Select(line => Path.GetFileName(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]))
            .Where(file => Generator.Contains(file))
            .Distinct()
            .ToList();
}
