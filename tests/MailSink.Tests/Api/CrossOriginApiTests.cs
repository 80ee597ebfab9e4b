using System.Net;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Api;

/// <summary>
/// MailSink sends no CORS headers, so a page on another origin cannot read the API through the developer's
/// browser (the browser withholds any response without Access-Control-Allow-Origin, and refuses a preflight
/// that does not allow the method). The real-browser side is in the end-to-end browser tests.
/// </summary>
public sealed class CrossOriginApiTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    [Theory]
    [InlineData("/api/v1/messages")]
    [InlineData("/api/v1/info")]
    [InlineData("/api/v2/messages")]
    [InlineData("/api/v1/message/latest")]
    public async Task A_read_from_another_origin_gets_no_CORS_permission(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", "http://evil.example");

        using var response = await app.Http.SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"), $"GET {path} allowed a foreign origin");
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Theory]
    [InlineData("DELETE", "/api/v1/messages")]
    [InlineData("PUT", "/api/v1/messages")]
    [InlineData("GET", "/api/v1/messages")]
    public async Task A_preflight_from_another_origin_is_not_allowed(string method, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", "http://evil.example");
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "content-type");

        using var response = await app.Http.SendAsync(request);

        Assert.NotEqual(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"), $"preflight {method} {path} allowed a foreign origin");
        Assert.False(response.Headers.Contains("Access-Control-Allow-Methods"));
    }
}
