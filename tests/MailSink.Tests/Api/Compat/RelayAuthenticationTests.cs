using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace MailSink.Tests.Api.Compat;

/// <summary>
/// AUTH at the relay, each mechanism MailHog's release body may name, against a second MailSink that checks
/// credentials (Smtp:Users): the right password delivers as that user, a wrong one is a 502 naming authentication.
/// </summary>
public sealed class RelayAuthenticationTests
{
    [Theory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    [InlineData("CRAM-MD5")]
    [InlineData("CRAMMD5")]
    public async Task Each_mechanism_authenticates_at_the_relay(string mechanism)
    {
        await using var target = await CompatMail.StartAsync(("Smtp:Users:0:Name", "relay-user"), ("Smtp:Users:0:Password", "right-password"));
        await using var sink = await CompatMail.StartAsync();
        await CompatMail.SendAsync(sink, CompatMail.Plain("a@x.example", "b@y.example", "authenticated", "x"));
        var id = await CompatMail.LatestIdAsync(sink);
        using var http = new HttpClient { BaseAddress = sink.BaseAddress };

        using var response = await http.PostAsync($"/api/v1/messages/{id}/release", Body(target.SmtpPort, mechanism, "right-password"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var targetHttp = new HttpClient { BaseAddress = target.BaseAddress };
        var relayed = JsonNode.Parse(await targetHttp.GetStringAsync("/api/v1/message/latest"))!;
        Assert.Equal("relay-user", relayed["Username"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_wrong_password_is_a_502_problem_naming_authentication_and_nothing_is_delivered()
    {
        await using var target = await CompatMail.StartAsync(("Smtp:Users:0:Name", "relay-user"), ("Smtp:Users:0:Password", "right-password"));
        await using var sink = await CompatMail.StartAsync();
        await CompatMail.SendAsync(sink, CompatMail.Plain("a@x.example", "b@y.example", "refused", "x"));
        var id = await CompatMail.LatestIdAsync(sink);
        using var http = new HttpClient { BaseAddress = sink.BaseAddress };

        using var response = await http.PostAsync($"/api/v1/messages/{id}/release", Body(target.SmtpPort, "PLAIN", "wrong-password"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("authentication", problem["stage"]!.GetValue<string>());
        Assert.Contains("relay-user", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", problem.ToJsonString(), StringComparison.Ordinal);
        using var targetHttp = new HttpClient { BaseAddress = target.BaseAddress };
        Assert.Equal(0, JsonNode.Parse(await targetHttp.GetStringAsync("/api/v2/messages"))!["total"]!.GetValue<int>());
    }

    private static StringContent Body(int port, string mechanism, string password) => new(
        $$"""{"host":"127.0.0.1","port":"{{port}}","email":"c@z.example","username":"relay-user","password":"{{password}}","mechanism":"{{mechanism}}"}""",
        Encoding.UTF8);
}
