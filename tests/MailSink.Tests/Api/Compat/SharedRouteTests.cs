using System.Net;
using System.Text.Json.Nodes;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Api.Compat;

/// <summary>
/// GET and DELETE /api/v1/messages are both MailHog's and Mailpit's routes with different answers. The rule
/// (Api/Compat/MailHogClients.cs): a DELETE without Accept and body is MailHog's client (empty 200), a GET gets
/// Mailpit's page unless it asks for MailHog's text/json. Checked with both real npm clients and with raw requests.
/// </summary>
public sealed class SharedRouteTests
{
    [Fact]
    public async Task Both_npm_clients_delete_everything_through_the_same_route()
    {
        await using var sink = await CompatMail.StartAsync();
        var port = CompatMail.HttpPort(sink);
        await CompatMail.SendAsync(sink, CompatMail.Plain("a@x.example", "b@y.example", "one", "1"));

        var mailpit = (await NodeApiClient.MailpitAsync(port, "deleteMessages")).Ok();
        Assert.Equal("ok", mailpit.GetValue<string>());
        Assert.Equal(0, (await NodeApiClient.MailpitAsync(port, "listMessages")).Ok()["total"]!.GetValue<int>());

        await CompatMail.SendAsync(sink, CompatMail.Plain("a@x.example", "b@y.example", "two", "2"));
        var mailhog = (await NodeApiClient.MailHogAsync(port, "deleteAll")).Ok();
        Assert.Equal(200, mailhog["statusCode"]!.GetValue<int>());
        Assert.Equal(0, (await NodeApiClient.MailpitAsync(port, "listMessages")).Ok()["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Mailpits_delete_with_IDs_deletes_only_those_and_its_list_keeps_Mailpits_shape()
    {
        await using var sink = await CompatMail.StartAsync();
        var port = CompatMail.HttpPort(sink);
        await CompatMail.SendAsync(sink, CompatMail.Plain("a@x.example", "b@y.example", "keep", "1"), CompatMail.Plain("a@x.example", "b@y.example", "drop", "2"));
        var drop = await CompatMail.LatestIdAsync(sink);

        Assert.Equal("ok", (await NodeApiClient.MailpitAsync(port, "deleteMessages", new { IDs = new[] { drop } })).Ok().GetValue<string>());

        var list = (await NodeApiClient.MailpitAsync(port, "listMessages")).Ok();
        Assert.Equal(1, list["total"]!.GetValue<int>());
        Assert.Equal("keep", list["messages"]![0]!["Subject"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_GET_gets_Mailpits_page_unless_it_asks_for_MailHogs_text_json()
    {
        await using var sink = await CompatMail.StartAsync();
        await CompatMail.SendAsync(sink, CompatMail.Plain("a@x.example", "b@y.example", "one", "1"), CompatMail.Plain("a@x.example", "b@y.example", "two", "2"));
        using var http = new HttpClient { BaseAddress = sink.BaseAddress };

        // .NET's HttpClient sends no Accept header, like Go's and Guzzle: Mailpit's callers keep Mailpit's shape.
        var bare = JsonNode.Parse(await http.GetStringAsync("/api/v1/messages"))!;
        Assert.Equal(2, bare["total"]!.GetValue<int>());

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/messages");
        request.Headers.Add("Accept", "text/json");
        using var response = await http.SendAsync(request);
        var mailhog = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(["two", "one"], mailhog.AsArray().Select(m => m!["Content"]!["Headers"]!["Subject"]![0]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_bare_DELETE_gets_an_empty_200_and_one_with_Accept_gets_ok()
    {
        await using var sink = await CompatMail.StartAsync();
        using var http = new HttpClient { BaseAddress = sink.BaseAddress };

        using var bare = await http.DeleteAsync("/api/v1/messages");
        Assert.Equal(HttpStatusCode.OK, bare.StatusCode);
        Assert.Empty(await bare.Content.ReadAsByteArrayAsync());

        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/messages");
        request.Headers.Add("Accept", "*/*");
        using var withAccept = await http.SendAsync(request);
        Assert.Equal("ok", await withAccept.Content.ReadAsStringAsync());
    }
}
