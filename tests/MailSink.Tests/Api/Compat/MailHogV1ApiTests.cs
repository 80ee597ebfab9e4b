using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MailSink.Api.Compat;

namespace MailSink.Tests.Api.Compat;

/// <summary>MailHog's v1 message routes and v2 paging, over HTTP against a running MailSink.</summary>
public sealed class MailHogV1ApiTests
{
    [Fact]
    public async Task A_message_its_download_and_its_decoded_parts_are_served_as_MailHog_serves_them()
    {
        await using var sink = await CompatMail.StartAsync();
        await CompatMail.SendAsync(sink, CompatMail.Multipart());
        var id = await CompatMail.LatestIdAsync(sink);
        using var http = new HttpClient { BaseAddress = sink.BaseAddress };

        var message = JsonNode.Parse(await http.GetStringAsync($"/api/v1/messages/{id}"))!;
        Assert.Equal(id, message["ID"]!.GetValue<string>());
        Assert.Equal(3, message["MIME"]!["Parts"]!.AsArray().Count);

        using var download = await http.GetAsync($"/api/v1/messages/{id}/download");
        Assert.Equal("message/rfc822", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{id}.eml", download.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal(await CompatMail.LatestRawAsync(sink), await download.Content.ReadAsByteArrayAsync());

        // Part 0 is the quoted-printable text, part 2 the base64 attachment: both arrive decoded.
        using var text = await http.GetAsync($"/api/v1/messages/{id}/mime/part/0/download");
        Assert.Equal("Café crème at noon.\r\n", Encoding.UTF8.GetString(await text.Content.ReadAsByteArrayAsync()));
        Assert.Equal($"{id}-part-0", text.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal("attachment", text.Content.Headers.ContentDisposition?.DispositionType);
        using var attachment = await http.GetAsync($"/api/v1/messages/{id}/mime/part/2/download");
        Assert.Equal("report line 1\r\n", Encoding.UTF8.GetString(await attachment.Content.ReadAsByteArrayAsync()));
        Assert.Equal("application/octet-stream", attachment.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_HTML_part_downloads_as_an_attachment_in_a_sandbox_never_rendered_in_MailSinks_origin()
    {
        await using var sink = await CompatMail.StartAsync();
        await CompatMail.SendAsync(sink, CompatMail.Multipart());
        var id = await CompatMail.LatestIdAsync(sink);
        using var http = new HttpClient { BaseAddress = sink.BaseAddress };

        using var html = await http.GetAsync($"/api/v1/messages/{id}/mime/part/1/download");

        Assert.Equal("attachment", html.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", html.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", html.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/messages/NOSUCHID")]
    [InlineData("/api/v1/messages/NOSUCHID/download")]
    [InlineData("/api/v1/messages/NOSUCHID/mime/part/0/download")]
    public async Task An_unknown_message_is_a_404_problem(string path)
    {
        await using var sink = await CompatMail.StartAsync();
        using var http = new HttpClient { BaseAddress = sink.BaseAddress };

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("-1")]
    [InlineData("x")]
    public async Task A_part_that_does_not_exist_is_a_404(string part)
    {
        await using var sink = await CompatMail.StartAsync();
        await CompatMail.SendAsync(sink, CompatMail.Multipart());
        var id = await CompatMail.LatestIdAsync(sink);
        using var http = new HttpClient { BaseAddress = sink.BaseAddress };

        using var response = await http.GetAsync($"/api/v1/messages/{id}/mime/part/{part}/download");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Bad_paging_values_get_MailHogs_defaults_instead_of_an_error()
    {
        await using var sink = await CompatMail.StartAsync();
        await CompatMail.SendAsync(sink, CompatMail.Plain("a@x.example", "b@y.example", "one", "1"), CompatMail.Plain("a@x.example", "b@y.example", "two", "2"));
        using var http = new HttpClient { BaseAddress = sink.BaseAddress };

        foreach (var query in new[] { "start=-5&limit=abc", "start=x&limit=0", "start=&limit=-3", "limit=99999999999" })
        {
            var page = JsonNode.Parse(await http.GetStringAsync($"/api/v2/messages?{query}"))!;
            Assert.Equal(0, page["start"]!.GetValue<int>());
            Assert.Equal(2, page["count"]!.GetValue<int>());
            Assert.Equal(2, page["total"]!.GetValue<int>());
        }

        var search = JsonNode.Parse(await http.GetStringAsync("/api/v2/search?kind=from&query=a@x&start=1&limit=junk"))!;
        Assert.Equal(1, search["start"]!.GetValue<int>());
        Assert.Equal(1, search["count"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(null, null, 0, 50)]
    [InlineData("-1", "0", 0, 50)]
    [InlineData("7", "250", 7, 250)]
    [InlineData("7", "251", 7, 250)]
    [InlineData("abc", "1e3", 0, 50)]
    [InlineData("2", "99999999999", 2, 250)]
    public void MailHogs_start_and_limit_rules(string? start, string? limit, int expectedStart, int expectedLimit)
    {
        var paging = MailHogApi.MailHogPaging(start, limit);

        Assert.Equal(expectedStart, paging.Start);
        Assert.Equal(expectedLimit, paging.Limit);
    }
}
