using System.Net;
using System.Text;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Api;

/// <summary>
/// Clickjacking (issue 13, defect 8): every UI and API response may only be framed by MailSink's own origin.
/// The browser side (a foreign page trying to frame the inbox) is in the end-to-end browser tests.
/// </summary>
public sealed class FramingHeadersTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/messages/some-client-route")]
    [InlineData("GET", "/api/v1/messages")]
    [InlineData("GET", "/api/v1/info")]
    [InlineData("GET", "/api/v1/message/NOSUCHMESSAGE")]
    [InlineData("GET", "/api/v1/no-such-endpoint")]
    [InlineData("DELETE", "/api/v1/messages")]
    [InlineData("GET", "/livez")]
    [InlineData("POST", "/hubs/inbox/negotiate?negotiateVersion=1")]
    public async Task Every_response_may_only_be_framed_by_the_inbox_own_origin(string method, string path)
    {
        using var response = await app.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(["SAMEORIGIN"], response.Headers.GetValues("X-Frame-Options"));
        var csp = Assert.Single(CspOf(response));
        Assert.Contains("frame-ancestors 'self'", csp);
    }

    [Fact]
    public async Task A_refused_hub_negotiate_carries_the_framing_headers_too()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/inbox/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", "http://evil.example");

        using var response = await app.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(["SAMEORIGIN"], response.Headers.GetValues("X-Frame-Options"));
        Assert.Contains("frame-ancestors 'self'", Assert.Single(CspOf(response)));
    }

    [Theory]
    [InlineData("raw")]
    [InlineData("part/1")]
    public async Task Message_content_keeps_its_sandbox_policy_and_gains_frame_ancestors(string route)
    {
        var id = await RawSmtpClient.DeliverAsync(app.SmtpPort, Encoding.ASCII.GetBytes(
            "From: a@example.test\r\nTo: b@example.test\r\nSubject: framing\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\r\n"));

        using var response = await app.Http.GetAsync($"/api/v1/message/{id}/{route}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var directives = Assert.Single(CspOf(response)).Split(';').Select(d => d.Trim()).ToList();
        Assert.Contains("sandbox", directives);
        Assert.Contains("default-src 'none'", directives);
        Assert.Contains("frame-ancestors 'self'", directives);
        Assert.Equal(["SAMEORIGIN"], response.Headers.GetValues("X-Frame-Options"));
    }

    private static IEnumerable<string> CspOf(HttpResponseMessage response) =>
        (response.Headers.TryGetValues("Content-Security-Policy", out var h) ? h : [])
        .Concat(response.Content.Headers.TryGetValues("Content-Security-Policy", out var c) ? c : []);
}
