using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Contracts;

/// <summary>Every Mailpit-shaped JSON answer of MailSink, validated against Mailpit's swagger (<see cref="MailpitSwagger"/>).</summary>
public sealed class MailpitContractTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    private static MailpitSwagger Swagger => MailpitSwagger.Instance;

    [Fact]
    public async Task Send_message_list_search_headers_and_checks_answer_the_swagger_s_shapes()
    {
        using var send = await app.Http.PostAsJsonAsync("/api/v1/send", new
        {
            From = new { Email = "app@example.test", Name = "App" },
            To = new[] { new { Email = "jane@example.test", Name = "Jane" } },
            Cc = new[] { new { Email = "cc@example.test" } },
            ReplyTo = new[] { new { Email = "reply@example.test" } },
            Subject = "contract",
            Text = "Visit https://example.test/a",
            HTML = "<p><a href=\"https://example.test/a\">a</a><img src=\"cid:logo\"></p>",
            Headers = new Dictionary<string, string> { ["List-Unsubscribe"] = "<mailto:u@example.test>" },
            Tags = new[] { "contract" },
            Attachments = new object[]
            {
                new { Content = Convert.ToBase64String(Encoding.UTF8.GetBytes("hello")), Filename = "a.txt" },
                new { Content = Convert.ToBase64String([137, 80, 78, 71]), Filename = "logo.png", ContentType = "image/png", ContentID = "logo" },
            },
        });
        var sent = await JsonAsync(send);
        Swagger.AssertResponse("POST", "/api/v1/send", 200, sent);
        var id = sent["ID"]!.GetValue<string>();

        Swagger.AssertResponse("GET", "/api/v1/messages", 200, await app.GetJsonAsync("/api/v1/messages"));
        Swagger.AssertResponse("GET", "/api/v1/search", 200, await app.GetJsonAsync("/api/v1/search?query=contract"));

        var message = await app.GetMessageAsync(id);
        Swagger.AssertResponse("GET", "/api/v1/message/{ID}", 200, message);
        Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", message["Attachments"]![0]!["Checksums"]!["SHA256"]!.GetValue<string>());

        Swagger.AssertResponse("GET", "/api/v1/message/{ID}/headers", 200, await app.GetJsonAsync($"/api/v1/message/{id}/headers"));
        Swagger.AssertResponse("GET", "/api/v1/message/{ID}/link-check", 200, await app.GetJsonAsync($"/api/v1/message/{id}/link-check"));

        Swagger.AssertResponse("GET", "/api/v1/message/{ID}/html-check", 200, await app.GetJsonAsync($"/api/v1/message/{id}/html-check"));
    }

    [Fact]
    public async Task Html_check_warnings_answer_the_swagger_s_shapes()
    {
        using var send = await app.Http.PostAsJsonAsync("/api/v1/send", new
        {
            From = new { Email = "app@example.test" },
            To = new[] { new { Email = "jane@example.test" } },
            Subject = "contract html-check",
            HTML = "<html><head><style>p { display: flex }</style></head><body><p style=\"position:absolute\">x</p><script>1</script></body></html>",
        });
        var id = (await JsonAsync(send))["ID"]!.GetValue<string>();

        var check = await app.GetJsonAsync($"/api/v1/message/{id}/html-check");
        Swagger.AssertResponse("GET", "/api/v1/message/{ID}/html-check", 200, check);
        var warnings = check["Warnings"]!.AsArray();
        Assert.Contains(warnings, w => w!["Slug"]!.GetValue<string>() == "css-display-flex");
        Assert.Contains(warnings, w => w!["Slug"]!.GetValue<string>() == "html-script");
        foreach (var warning in warnings)
        {
            Swagger.AssertDefinition("HTMLCheckWarning", warning);
            Swagger.AssertDefinition("HTMLCheckScore", warning!["Score"]);
            foreach (var result in warning["Results"]!.AsArray())
            {
                Swagger.AssertDefinition("HTMLCheckResult", result);
            }
        }

        Swagger.AssertDefinition("HTMLCheckTotal", check["Total"]);
    }

    [Fact]
    public async Task Info_webui_and_chaos_answer_the_swagger_s_shapes()
    {
        Swagger.AssertResponse("GET", "/api/v1/info", 200, await app.GetJsonAsync("/api/v1/info"));
        Swagger.AssertResponse("GET", "/api/v1/webui", 200, await app.GetJsonAsync("/api/v1/webui"));
        Swagger.AssertResponse("GET", "/api/v1/chaos", 200, await app.GetJsonAsync("/api/v1/chaos"));

        using var put = await app.Http.PutAsJsonAsync("/api/v1/chaos", new { Sender = new { ErrorCode = 451, Probability = 0 } });
        Swagger.AssertResponse("PUT", "/api/v1/chaos", 200, await JsonAsync(put));
        using var reset = await app.Http.PutAsJsonAsync("/api/v1/chaos", new { });
        reset.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_live_feed_new_frame_carries_a_MessageSummary()
    {
        using var socket = await app.CreateWebSocketClient().ConnectAsync(new UriBuilder(new Uri(app.Http.BaseAddress!, "/api/events")) { Scheme = "ws" }.Uri, CancellationToken.None);
        using var send = await app.Http.PostAsJsonAsync("/api/v1/send", new { From = new { Email = "a@example.test" }, To = new[] { new { Email = "b@example.test" } }, Subject = "feed", Text = "x" });
        send.EnsureSuccessStatusCode();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new byte[256 * 1024];
        JsonNode frame;
        do
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.True(result.EndOfMessage);
            frame = JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count))!;
        }
        while (frame["Type"]!.GetValue<string>() != "new");

        Swagger.AssertDefinition("MessageSummary", frame["Data"]);
    }

    [Fact]
    public void The_strict_validator_rejects_a_missing_field_and_a_wrong_type()
    {
        var summary = JsonNode.Parse("""{"total":1,"unread":0,"count":1,"messages_count":1,"messages_unread":0,"start":0,"tags":[],"messages":[]}""");
        Swagger.AssertResponse("GET", "/api/v1/messages", 200, summary);

        summary!.AsObject().Remove("messages_unread");
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Swagger.AssertResponse("GET", "/api/v1/messages", 200, summary));

        var wrongType = JsonNode.Parse("""{"total":"1","unread":0,"count":1,"messages_count":1,"messages_unread":0,"start":0,"tags":[],"messages":[]}""");
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Swagger.AssertResponse("GET", "/api/v1/messages", 200, wrongType));

        // Through a reference into the definitions: an empty message summary in the list, an address without Address.
        var emptyItem = JsonNode.Parse("""{"total":1,"unread":0,"count":1,"messages_count":1,"messages_unread":0,"start":0,"tags":[],"messages":[{}]}""");
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Swagger.AssertResponse("GET", "/api/v1/messages", 200, emptyItem));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Swagger.AssertDefinition("Address", JsonNode.Parse("""{"Name":"x"}""")));
        Swagger.AssertDefinition("Address", JsonNode.Parse("""{"Name":"x","Address":"x@example.test"}"""));
    }

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }
}
