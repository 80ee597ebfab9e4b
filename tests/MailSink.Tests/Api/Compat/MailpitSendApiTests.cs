using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Api.Compat;

/// <summary>Mailpit's POST /api/v1/send: composed into MIME and stored through the same ingest path as SMTP.</summary>
public sealed class MailpitSendApiTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

    [Fact]
    public async Task A_sent_message_is_stored_with_its_parts_a_Received_header_and_an_API_session()
    {
        var id = await SendAsync(new
        {
            From = new { Email = "app@example.test", Name = "The App" },
            To = new[] { new { Email = "jane@example.test", Name = "Jane" } },
            Cc = new[] { new { Email = "cc@example.test" } },
            Bcc = new[] { "hidden@example.test" },
            ReplyTo = new[] { new { Email = "support@example.test" } },
            Subject = "Welcome via the API",
            Text = "Plain body",
            HTML = "<p>HTML body <img src=\"cid:logo\"></p>",
            Headers = new Dictionary<string, string> { ["X-Campaign"] = "spring" },
            Attachments = new object[]
            {
                new { Content = Convert.ToBase64String(Encoding.UTF8.GetBytes("a,b\n1,2\n")), Filename = "report.csv" },
                new { Content = "data:image/png;base64," + Convert.ToBase64String(Png), Filename = "logo.png", ContentType = "image/png", ContentID = "logo" },
            },
        });

        var message = await app.GetMessageAsync(id);
        Assert.Equal("Welcome via the API", message["Subject"]!.GetValue<string>());
        Assert.Equal("app@example.test", message["From"]!["Address"]!.GetValue<string>());
        Assert.Equal("The App", message["From"]!["Name"]!.GetValue<string>());
        Assert.Equal("jane@example.test", message["To"]![0]!["Address"]!.GetValue<string>());
        Assert.Equal("cc@example.test", message["Cc"]![0]!["Address"]!.GetValue<string>());
        Assert.Equal("support@example.test", message["ReplyTo"]![0]!["Address"]!.GetValue<string>());
        Assert.Contains("Plain body", message["Text"]!.GetValue<string>());
        Assert.Contains("HTML body", message["HTML"]!.GetValue<string>());
        Assert.Equal("report.csv", message["Attachments"]![0]!["FileName"]!.GetValue<string>());
        Assert.Equal("logo", message["Inline"]![0]!["ContentID"]!.GetValue<string>());
        Assert.Equal(["jane@example.test", "cc@example.test", "hidden@example.test"], message["RcptTo"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("api", message["Listener"]!.GetValue<string>());

        var raw = Encoding.UTF8.GetString(await app.GetRawAsync(id));
        Assert.StartsWith("Received: from unknown (", raw);
        Assert.Contains($"by {MailSinkApp.Hostname} (MailSink) with HTTP id {id}", raw);
        Assert.Contains("X-Campaign: spring", raw);
        Assert.DoesNotContain("hidden@example.test", raw[raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)..]);
        Assert.DoesNotContain("Bcc:", raw);

        var sessionId = message["SessionID"]!.GetValue<string>();
        var session = await app.GetJsonAsync($"/api/v1/session/{sessionId}");
        Assert.Equal("api", session["Listener"]!.GetValue<string>());
        var transcript = string.Join("\n", session["Lines"]!.AsArray().Select(l => l!["Text"]!.GetValue<string>()));
        Assert.Contains("Submitted through the HTTP API (POST /api/v1/send)", transcript);
        Assert.Contains($"message {id}", transcript);

        var part = await app.Http.GetByteArrayAsync($"/api/v1/message/{id}/part/{message["Inline"]![0]!["PartID"]!.GetValue<string>()}");
        Assert.Equal(Png, part);
    }

    [Fact]
    public async Task Tags_become_an_X_Tags_header_and_the_basic_auth_user_the_Username()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/send")
        {
            Content = JsonContent.Create(new { From = new { Email = "a@example.test" }, To = new[] { new { Email = "b@example.test" } }, Subject = "tagged", Tags = new[] { "Tag 1", "Tag 2" } }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("sender:secret")));
        using var response = await app.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["ID"]!.GetValue<string>();

        var raw = Encoding.UTF8.GetString(await app.GetRawAsync(id));
        Assert.Contains("X-Tags: Tag 1, Tag 2", raw);
        var message = await app.GetMessageAsync(id);
        Assert.Equal("sender", message["Username"]!.GetValue<string>());

        // The header is read at ingest as an SMTP message's is: the message carries the tags (Mailpit's send does too).
        Assert.Equal(["Tag 1", "Tag 2"], message["Tags"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Theory]
    [InlineData("""{"To":[{"Email":"b@example.test"}]}""", "invalid From address")]
    [InlineData("""{"From":{"Email":"not an address"}}""", "invalid From address")]
    [InlineData("""{"From":{"Email":"a@example.test"},"To":[{"Email":"nope"}]}""", "invalid To address: nope")]
    [InlineData("""{"From":{"Email":"a@example.test"},"Headers":{"Subject":"x"}}""", "cannot overwrite header: \"Subject\"")]
    [InlineData("""{"From":{"Email":"a@example.test"},"Attachments":[{"Filename":"a.bin","Content":"%%%"}]}""", "error decoding base64 attachment \"a.bin\"")]
    [InlineData("""{"From":""", "not Mailpit's send JSON")]
    public async Task Bad_requests_are_400_problems_with_Mailpit_s_Error_member(string body, string expected)
    {
        var before = (await app.GetJsonAsync("/api/v1/messages"))["total"]!.GetValue<int>();
        using var response = await app.Http.PostAsync("/api/v1/send", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, problem["title"]!.GetValue<string>() + " " + problem["Error"]!.GetValue<string>());
        Assert.Equal(before, (await app.GetJsonAsync("/api/v1/messages"))["total"]!.GetValue<int>());
    }

    private async Task<string> SendAsync(object body)
    {
        using var response = await app.Http.PostAsJsonAsync("/api/v1/send", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"send: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!["ID"]!.GetValue<string>();
    }
}
