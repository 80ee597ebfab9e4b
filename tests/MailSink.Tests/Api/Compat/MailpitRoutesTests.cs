using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using MailSink.Api.Compat;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Api.Compat;

/// <summary>Mailpit's view, webui, info, checks and message routes, over messages sent through the send API.</summary>
public sealed class MailpitRoutesTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    [Fact]
    public async Task View_html_links_inline_images_to_the_part_API_and_is_served_under_a_script_blocking_sandbox()
    {
        var id = await SendAsync(new
        {
            From = new { Email = "a@example.test" },
            Subject = "view",
            Text = "Text version",
            HTML = "<p><a href=\"https://example.test/x\">link</a><img src=\"cid:logo\"><script>alert(1)</script></p>",
            Attachments = new[] { new { Content = Convert.ToBase64String([1, 2, 3]), Filename = "logo.png", ContentType = "image/png", ContentID = "logo" } },
        });
        var partId = (await app.GetMessageAsync(id))["Inline"]![0]!["PartID"]!.GetValue<string>();

        using var html = await app.Http.GetAsync($"/view/{id}.html?embed=1");
        var body = await html.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"<img src=\"/api/v1/message/{id}/part/{partId}\">", body);
        Assert.Contains("<a target=\"_blank\" rel=\"noreferrer noopener\" href=\"https://example.test/x\">", body);
        var csp = string.Join(";", html.Headers.GetValues("Content-Security-Policy"));
        Assert.StartsWith("sandbox allow-popups allow-popups-to-escape-sandbox;", csp);
        Assert.Contains("default-src 'none'", csp);
        Assert.DoesNotContain("script-src", csp);
        Assert.DoesNotContain("allow-scripts", csp);
        Assert.Contains($"img-src data: http://localhost/api/v1/message/{id}/part/;", csp);

        Assert.Equal("Text version", (await app.Http.GetStringAsync("/view/latest.txt")).Trim());
        using var missing = await app.Http.GetAsync("/view/NOSUCHID.html");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var textOnly = await SendAsync(new { From = new { Email = "a@example.test" }, Subject = "text only", Text = "just text" });
        using var noHtml = await app.Http.GetAsync($"/view/{textOnly}.html");
        Assert.Equal(HttpStatusCode.NotFound, noHtml.StatusCode);
    }

    [Fact]
    public async Task Reading_a_message_marks_it_read_and_its_List_Unsubscribe_is_checked_as_Mailpit_does()
    {
        var id = await SendAsync(new
        {
            From = new { Email = "a@example.test" },
            Subject = "unsubscribe",
            Text = "x",
            Headers = new Dictionary<string, string>
            {
                ["List-Unsubscribe"] = "<mailto:leave@example.test>, <https://example.test/leave?u=1>",
                ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
            },
        });
        var listed = (await app.GetJsonAsync("/api/v1/messages"))["messages"]!.AsArray().Single(m => m!["ID"]!.GetValue<string>() == id)!;
        Assert.False(listed["Read"]!.GetValue<bool>());

        var message = await app.GetMessageAsync(id);
        var unsubscribe = message["ListUnsubscribe"]!;
        Assert.Equal(["mailto:leave@example.test", "https://example.test/leave?u=1"], unsubscribe["Links"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("", unsubscribe["Errors"]!.GetValue<string>());
        Assert.Equal("List-Unsubscribe=One-Click", unsubscribe["HeaderPost"]!.GetValue<string>());

        listed = (await app.GetJsonAsync("/api/v1/messages"))["messages"]!.AsArray().Single(m => m!["ID"]!.GetValue<string>() == id)!;
        Assert.True(listed["Read"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Latest_with_a_query_is_the_newest_message_matching_it_on_every_latest_route()
    {
        var older = await SendAsync(new { From = new { Email = "a@example.test" }, Subject = "latest-query alpha", Text = "alpha text", HTML = "<p>alpha</p>" });
        await SendAsync(new { From = new { Email = "a@example.test" }, Subject = "latest-query beta", Text = "beta text", HTML = "<p>beta</p>" });
        var query = Uri.EscapeDataString("subject:alpha");

        Assert.Equal(older, (await app.GetJsonAsync($"/api/v1/message/latest?query={query}"))["ID"]!.GetValue<string>());
        Assert.Contains("Subject: latest-query alpha", await app.Http.GetStringAsync($"/api/v1/message/latest/raw?query={query}"));
        Assert.Equal("latest-query alpha", (await app.GetJsonAsync($"/api/v1/message/latest/headers?query={query}"))["Subject"]![0]!.GetValue<string>());
        Assert.Equal("alpha text", (await app.Http.GetStringAsync($"/view/latest.txt?query={query}")).Trim());
        Assert.Contains("<p>alpha</p>", await app.Http.GetStringAsync($"/view/latest.html?query={query}"));
        Assert.Equal("beta text", (await app.Http.GetStringAsync("/view/latest.txt")).Trim());

        using var nothing = await app.Http.GetAsync($"/api/v1/message/latest?query={Uri.EscapeDataString("subject:no-such-subject")}");
        Assert.Equal(HttpStatusCode.NotFound, nothing.StatusCode);
        using var bad = await app.Http.GetAsync($"/api/v1/message/latest?query={Uri.EscapeDataString("before:not-a-date")}");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Theory]
    [InlineData("<mailto:a@example.test>", "mailto:a@example.test", "")]
    [InlineData("mailto:a@example.test", "", "\"mailto:a@example.test\" no valid unsubscribe links found")]
    [InlineData("<ftp://example.test/x>", "", "\"ftp://example.test/x\" should start with either http(s):// or mailto:")]
    [InlineData("<https://a.test/1> <https://a.test/2>", "", "\"<https://a.test/1> <https://a.test/2>\" <> should be split with a comma and optional spaces")]
    [InlineData("<https://a.test/1>, <https://a.test/2>", "https://a.test/1", "\"https://a.test/2\" should only contain one HTTP link")]
    [InlineData("(comment) <https://a.test/1>", "https://a.test/1", "")]
    public void List_Unsubscribe_values_get_Mailpit_s_links_and_errors(string header, string links, string errors)
    {
        var parsed = ListUnsubscribeParser.Parse(header, null);
        Assert.Equal(links, string.Join(" ", parsed.Links));
        Assert.Equal(errors, parsed.Errors);
    }

    [Fact]
    public async Task Info_has_LatestVersion_tag_counts_and_runtime_stats_and_webui_the_configuration()
    {
        await SendAsync(new { From = new { Email = "a@example.test" }, Subject = "tags", Text = "x" });
        var info = await app.GetJsonAsync("/api/v1/info");
        Assert.Equal("disabled", info["LatestVersion"]!.GetValue<string>());
        Assert.IsType<JsonObject>(info["Tags"]);
        Assert.Equal(0, info["RuntimeStats"]!["SMTPIgnored"]!.GetValue<long>());

        var webui = await app.GetJsonAsync("/api/v1/webui");
        Assert.True(webui["ChaosEnabled"]!.GetValue<bool>());
        Assert.False(webui["SpamAssassin"]!.GetValue<bool>());
        Assert.False(webui["MessageRelay"]!["Enabled"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("sa-check", "SpamAssassin is not configured")]
    public async Task Checks_MailSink_cannot_run_answer_501_problems(string check, string title)
    {
        await SendAsync(new { From = new { Email = "a@example.test" }, Subject = "checks", HTML = "<p>x</p>" });
        using var response = await app.Http.GetAsync($"/api/v1/message/latest/{check}");
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith(title, problem["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Link_check_lists_links_without_fetching_and_with_follow_refuses_loopback_without_connecting()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var local = $"http://127.0.0.1:{port}/secret";
        var mapped = $"http://[::ffff:127.0.0.1]:{port}/mapped";
        var id = await SendAsync(new
        {
            From = new { Email = "a@example.test" },
            Subject = "links",
            HTML = $"<a href=\"{local}\">a</a><img src=\"{mapped}\"><a href=\"http://localhost:{port}/name\">n</a>",
            Text = $"see {local} and <http://169.254.169.254:{port}/metadata>",
        });

        var listed = await app.GetJsonAsync($"/api/v1/message/{id}/link-check");
        Assert.Equal(0, listed["Errors"]!.GetValue<int>());
        Assert.Equal([local, $"http://localhost:{port}/name", mapped, $"http://169.254.169.254:{port}/metadata"], listed["Links"]!.AsArray().Select(l => l!["URL"]!.GetValue<string>()));
        Assert.All(listed["Links"]!.AsArray(), l => Assert.Equal(0, l!["StatusCode"]!.GetValue<int>()));

        var followed = await app.GetJsonAsync($"/api/v1/message/{id}/link-check?follow=true");
        Assert.Equal(4, followed["Errors"]!.GetValue<int>());
        Assert.All(followed["Links"]!.AsArray(), l =>
        {
            Assert.Equal(451, l!["StatusCode"]!.GetValue<int>());
            Assert.StartsWith("Blocked private/reserved address", l["Status"]!.GetValue<string>());
        });

        // Nothing connected: the refusal came before any socket was opened.
        Assert.False(listener.Pending());
    }

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("10.1.2.3", "private (10.0.0.0/8)")]
    [InlineData("172.20.0.1", "private (172.16.0.0/12)")]
    [InlineData("192.168.1.1", "private (192.168.0.0/16)")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("0.0.0.0", "unspecified (0.0.0.0/8)")]
    [InlineData("100.64.0.1", "shared address space (100.64.0.0/10)")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fd00::1", "unique-local")]
    [InlineData("::ffff:127.0.0.1", "IPv4-mapped IPv6")]
    [InlineData("::ffff:8.8.8.8", "IPv4-mapped IPv6")]
    [InlineData("64:ff9b::a00:1", "NAT64 (embeds an IPv4 address)")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("8.8.8.8", null)]
    [InlineData("2606:4700::1111", null)]
    public void Only_public_unicast_addresses_may_be_fetched(string address, string? reason) =>
        Assert.Equal(reason, MailSink.Api.Compat.LinkCheck.PublicAddressPolicy.WhyBlocked(IPAddress.Parse(address)));

    private async Task<string> SendAsync(object body)
    {
        using var response = await app.Http.PostAsJsonAsync("/api/v1/send", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"send: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!["ID"]!.GetValue<string>();
    }
}
