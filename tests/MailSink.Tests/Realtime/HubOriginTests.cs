using System.Net;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Realtime;

/// <summary>
/// Cross-site WebSocket hijacking (Mailpit's advisory): a page on another site must not open the inbox hub
/// through the developer's browser. The check runs on negotiate, before any transport is accepted.
/// </summary>
public sealed class HubOriginTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    [Theory]
    [InlineData("http://evil.example", HttpStatusCode.Forbidden)]
    [InlineData("null", HttpStatusCode.Forbidden)]
    [InlineData("http://localhost:1234", HttpStatusCode.Forbidden)]
    [InlineData(null, HttpStatusCode.OK)]
    public async Task Negotiate_is_refused_for_foreign_origins(string? origin, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/inbox/negotiate?negotiateVersion=1");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await app.Http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task The_inbox_own_origin_may_open_the_hub()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/inbox/negotiate?negotiateVersion=1");
        var self = app.Http.BaseAddress!;
        request.Headers.Add("Origin", self.GetLeftPart(UriPartial.Authority));

        using var response = await app.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
