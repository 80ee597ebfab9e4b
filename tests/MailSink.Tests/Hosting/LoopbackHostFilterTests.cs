using System.Net;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Hosting;

/// <summary>DNS rebinding: bound to loopback, MailSink answers only requests that name this machine.</summary>
public sealed class LoopbackHostFilterTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    [Theory]
    [InlineData("evil.example", HttpStatusCode.BadRequest)]
    [InlineData("evil.example:8025", HttpStatusCode.BadRequest)]
    [InlineData("localhost", HttpStatusCode.OK)]
    [InlineData("127.0.0.1:8025", HttpStatusCode.OK)]
    [InlineData("[::1]:8025", HttpStatusCode.OK)]
    public async Task Requests_naming_another_host_are_refused(string host, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/messages");
        request.Headers.Host = host;

        using var response = await app.Http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/docs/")]
    [InlineData("/api/docs/scalar.js")]
    [InlineData("/openapi/v1.json")]
    public async Task The_API_reference_and_its_document_are_loopback_only_too(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "evil.example";
        using var refused = await app.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        using var local = await app.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
    }
}
