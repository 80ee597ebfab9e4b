using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Api.Compat;

/// <summary>
/// Release through MailHog's route (POST /api/v1/messages/{id}/release) and its outgoing-smtp list, at the HTTP
/// level: named servers, key case and port types, Postfix's smtp-sink as a real relay, and the problems for each step.
/// </summary>
public sealed class ReleaseTests
{
    [Fact]
    public async Task Release_to_Postfix_smtp_sink_delivers_the_original_message_with_the_original_envelope_sender()
    {
        if (!SmtpSink.IsInstalled)
        {
            Assert.False(ExternalTool.IsCi, "smtp-sink is missing: install Debian's postfix (.ci/run does).");
            return;
        }

        await using var relay = await SmtpSink.StartAsync();
        await using var sink = await CompatMail.StartAsync();
        await CompatMail.SendAsync(sink, CompatMail.Multipart());
        var id = await CompatMail.LatestIdAsync(sink);
        using var http = new HttpClient { BaseAddress = sink.BaseAddress };

        // Keys in another case than MailHog's Go struct, as Go's decoder allows.
        using var response = await http.PostAsync($"/api/v1/messages/{id}/release", Json($$"""{"HOST":"127.0.0.1","Port":{{relay.Port}},"Email":"dest@sink.example"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var dump = await relay.SingleDumpAsync();
        Assert.Contains("X-Mail-Args: <alice@example.com>", dump, StringComparison.Ordinal);
        Assert.Contains("X-Rcpt-Args: <dest@sink.example>", dump, StringComparison.Ordinal);
        var original = Encoding.UTF8.GetString(await CompatMail.LatestRawAsync(sink)).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Contains(original, dump, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_named_server_is_used_and_listed_by_outgoing_smtp_without_its_password()
    {
        await using var target = await CompatMail.StartAsync();
        await using var sink = await CompatMail.StartAsync(
            ("Relay:Servers:0:Name", "staging"),
            ("Relay:Servers:0:Host", "127.0.0.1"),
            ("Relay:Servers:0:Port", target.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Relay:Servers:0:Email", "default@staging.example"),
            ("Relay:Servers:0:Username", "relay-user"),
            ("Relay:Servers:0:Password", "secret-pass"),
            ("Relay:Servers:0:Mechanism", "none"));
        await CompatMail.SendAsync(sink, CompatMail.Plain("a@x.example", "b@y.example", "named", "via the named server"));
        var id = await CompatMail.LatestIdAsync(sink);
        using var http = new HttpClient { BaseAddress = sink.BaseAddress };

        var servers = JsonNode.Parse(await http.GetStringAsync("/api/v2/outgoing-smtp"))!;
        var staging = servers["staging"]!;
        Assert.Equal("127.0.0.1", staging["Host"]!.GetValue<string>());
        Assert.Equal(target.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), staging["Port"]!.GetValue<string>());
        Assert.Equal("default@staging.example", staging["Email"]!.GetValue<string>());
        Assert.Equal("relay-user", staging["Username"]!.GetValue<string>());
        Assert.Equal("", staging["Password"]!.GetValue<string>());
        Assert.False(staging["Save"]!.GetValue<bool>());

        using var response = await http.PostAsync($"/api/v1/messages/{id}/release", Json("""{"name":"staging"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var relayed = JsonNode.Parse(await new HttpClient { BaseAddress = target.BaseAddress }.GetStringAsync("/api/v2/search?kind=to&query=default@staging.example"))!;
        Assert.Equal(1, relayed["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_recipient_the_relay_refuses_is_a_502_problem_with_the_relays_reply()
    {
        await using var target = await CompatMail.StartAsync();
        await using var sink = await CompatMail.StartAsync();
        await CompatMail.SendAsync(sink, CompatMail.Plain("a@x.example", "b@y.example", "refused", "x"));
        var id = await CompatMail.LatestIdAsync(sink);
        using var http = new HttpClient { BaseAddress = sink.BaseAddress };

        // The target's magic address answers RCPT with 550 5.1.1.
        using var response = await http.PostAsync($"/api/v1/messages/{id}/release", Json($$"""{"host":"127.0.0.1","port":"{{target.SmtpPort}}","email":"user-unknown@fail.mailsink.test"}"""));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("recipient", problem["stage"]!.GetValue<string>());
        Assert.Equal(550, problem["replyCode"]!.GetValue<int>());
        Assert.Contains("user-unknown@fail.mailsink.test", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("5.1.1", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"host":"127.0.0.1","port":"25","email":"c@z.example","username":"u","password":"p","mechanism":"NTLM"}""", "mechanism")]
    [InlineData("""{"host":"127.0.0.1","port":"twenty-five","email":"c@z.example"}""", "port")]
    [InlineData("""{"host":"127.0.0.1","port":70000,"email":"c@z.example"}""", "port")]
    [InlineData("""{"host":"127.0.0.1","port":"25"}""", "email")]
    [InlineData("""{"host":"","port":"25","email":"c@z.example"}""", "host")]
    [InlineData("""{"name":"nope","email":"c@z.example"}""", "name")]
    [InlineData("""{"host":"127.0.0.1","port":"25","email":"not an address"}""", "email")]
    [InlineData("""{"host":"127.0.0.1","port":"25","email":"c@z.example","save":true,"name":"new"}""", "save")]
    [InlineData("""not json""", "body")]
    public async Task A_bad_release_request_is_a_400_naming_the_field(string body, string field)
    {
        await using var sink = await CompatMail.StartAsync();
        await CompatMail.SendAsync(sink, CompatMail.Plain("a@x.example", "b@y.example", "bad", "x"));
        var id = await CompatMail.LatestIdAsync(sink);
        using var http = new HttpClient { BaseAddress = sink.BaseAddress };

        using var response = await http.PostAsync($"/api/v1/messages/{id}/release", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(field, problem["parameter"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_release_from_a_page_on_another_origin_is_refused_before_anything_is_sent()
    {
        await using var relay = SmtpSink.IsInstalled ? await SmtpSink.StartAsync() : null;
        await using var sink = await CompatMail.StartAsync();
        await CompatMail.SendAsync(sink, CompatMail.Plain("a@x.example", "b@y.example", "csrf", "x"));
        var id = await CompatMail.LatestIdAsync(sink);
        using var http = new HttpClient { BaseAddress = sink.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/messages/{id}/release")
        {
            Content = new StringContent($$"""{"host":"127.0.0.1","port":"{{relay?.Port ?? 25}}","email":"c@z.example"}""", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("Origin", "http://evil.example");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        if (relay is not null)
        {
            await Task.Delay(300);
            Assert.Empty(Directory.GetFiles(relay.Folder));
        }
    }

    [Fact]
    public async Task An_unknown_message_is_404()
    {
        await using var sink = await CompatMail.StartAsync();
        using var http = new HttpClient { BaseAddress = sink.BaseAddress };

        using var response = await http.PostAsync("/api/v1/messages/NOSUCHID/release", Json("""{"host":"127.0.0.1","port":"25","email":"c@z.example"}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("Relay:Tls", "sometimes", "Relay:Tls must be 'none', 'starttls' or 'tls'")]
    [InlineData("Relay:Auth", "kerberos", "Relay:Auth must be")]
    [InlineData("Relay:AllowedRecipients", "([", "Relay:AllowedRecipients is not a valid regular expression")]
    [InlineData("Relay:Port", "0", "Relay:Port must be between 1 and 65535")]
    public async Task A_bad_relay_option_stops_start_up_naming_it(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await (await CompatMail.StartAsync((key, value))).DisposeAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8);
}
