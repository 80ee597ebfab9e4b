using System.Text.Json.Nodes;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Api.Compat;

/// <summary>
/// The npm <c>mailhog</c> client (4.16.0, Node/package.json), run as a Node process against a running MailSink:
/// every method it has (messages, search, latestFrom, latestTo, latestContaining, releaseMessage, deleteMessage,
/// deleteAll) and the decoded getters it adds to each message.
/// </summary>
public sealed class MailHogNodeClientTests
{
    [Fact]
    public async Task Messages_gives_the_decoded_subject_text_html_and_attachment_of_a_multipart_message()
    {
        await using var sink = await CompatMail.StartAsync();
        await CompatMail.SendAsync(sink, CompatMail.Multipart());

        var page = (await NodeApiClient.MailHogAsync(CompatMail.HttpPort(sink), "messages")).Ok();

        Assert.Equal(1, page["total"]!.GetValue<int>());
        Assert.Equal(1, page["count"]!.GetValue<int>());
        var item = page["items"]![0]!;
        Assert.Equal("Grüße aus Köln", item["subject"]!.GetValue<string>());
        Assert.Equal("Café crème at noon.\r\n", item["text"]!.GetValue<string>());
        Assert.Equal("<p>Café <b>crème</b></p>\r\n", item["html"]!.GetValue<string>());
        Assert.Equal("\"Alice\" <alice@example.com>", item["from"]!.GetValue<string>().Replace("Alice <", "\"Alice\" <", StringComparison.Ordinal));
        Assert.Contains("bob@example.org", item["to"]!.GetValue<string>(), StringComparison.Ordinal);
        var attachment = Assert.Single(item["attachments"]!.AsArray())!;
        Assert.Equal("report.txt", attachment["name"]!.GetValue<string>());
        Assert.Equal("base64", attachment["encoding"]!.GetValue<string>());
        Assert.Equal("report line 1\r\n", attachment["content"]!.GetValue<string>());
        Assert.NotNull(item["deliveryDate"]!.GetValue<string>());

        // MailHog's raw shape under the getters: envelope paths, headers as sent, MIME parts.
        var raw = item["raw"]!;
        Assert.Equal("alice", raw["From"]!["Mailbox"]!.GetValue<string>());
        Assert.Equal("example.com", raw["From"]!["Domain"]!.GetValue<string>());
        Assert.Null(raw["From"]!["Relays"]);
        Assert.Equal("", raw["From"]!["Params"]!.GetValue<string>());
        Assert.Equal("bob@example.org", raw["Raw"]!["To"]![0]!.GetValue<string>());
        Assert.Equal(["<alice@example.com>"], raw["Content"]!["Headers"]!["Return-Path"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(3, raw["MIME"]!["Parts"]!.AsArray().Count);
    }

    [Fact]
    public async Task Search_by_from_to_and_containing_finds_the_matching_messages_newest_first()
    {
        await using var sink = await CompatMail.StartAsync();
        await CompatMail.SendAsync(
            sink,
            CompatMail.Plain("ann@alpha.example", "zed@one.example", "first", "nothing special"),
            CompatMail.Plain("bob@beta.example", "zed@one.example", "second", "mentions the pineapple"),
            CompatMail.Plain("ann@alpha.example", "yan@two.example", "third", "also a pineapple"));
        var port = CompatMail.HttpPort(sink);

        var fromAnn = (await NodeApiClient.MailHogAsync(port, "search", "ann@alpha", "from")).Ok();
        Assert.Equal(["third", "first"], Subjects(fromAnn));
        Assert.Equal(2, fromAnn["total"]!.GetValue<int>());

        var toZed = (await NodeApiClient.MailHogAsync(port, "search", "zed@one.example", "to")).Ok();
        Assert.Equal(["second", "first"], Subjects(toZed));

        var containing = (await NodeApiClient.MailHogAsync(port, "search", "pineapple")).Ok();
        Assert.Equal(["third", "second"], Subjects(containing));

        var paged = (await NodeApiClient.MailHogAsync(port, "search", "pineapple", "containing", 1, 1)).Ok();
        Assert.Equal(["second"], Subjects(paged));
        Assert.Equal(2, paged["total"]!.GetValue<int>());
        Assert.Equal(1, paged["start"]!.GetValue<int>());

        var none = (await NodeApiClient.MailHogAsync(port, "search", "nobody@nowhere", "from")).Ok();
        Assert.Equal(0, none["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task LatestFrom_latestTo_and_latestContaining_return_the_newest_match_or_zero()
    {
        await using var sink = await CompatMail.StartAsync();
        await CompatMail.SendAsync(
            sink,
            CompatMail.Plain("ann@alpha.example", "zed@one.example", "older", "kiwi"),
            CompatMail.Plain("ann@alpha.example", "zed@one.example", "newer", "kiwi and mango"));
        var port = CompatMail.HttpPort(sink);

        Assert.Equal("newer", (await NodeApiClient.MailHogAsync(port, "latestFrom", "ann@alpha.example")).Ok()["subject"]!.GetValue<string>());
        Assert.Equal("newer", (await NodeApiClient.MailHogAsync(port, "latestTo", "zed@one.example")).Ok()["subject"]!.GetValue<string>());
        Assert.Equal("older", (await NodeApiClient.MailHogAsync(port, "latestContaining", "older")).Ok()["subject"]!.GetValue<string>());
        Assert.Equal(0, (await NodeApiClient.MailHogAsync(port, "latestFrom", "carol@gamma.example")).Ok().GetValue<int>());
    }

    [Fact]
    public async Task Containing_matches_decoded_text_that_is_quoted_printable_on_the_wire()
    {
        await using var sink = await CompatMail.StartAsync();
        await CompatMail.SendAsync(sink, CompatMail.Multipart());

        // "crème" travels as "cr=C3=A8me": MailHog's search over the source would miss it.
        var found = (await NodeApiClient.MailHogAsync(CompatMail.HttpPort(sink), "latestContaining", "crème")).Ok();

        Assert.Equal("Grüße aus Köln", found["subject"]!.GetValue<string>());
    }

    [Fact]
    public async Task Containing_matches_the_source_too_as_in_MailHog_header_values_included()
    {
        await using var sink = await CompatMail.StartAsync();
        var traced = CompatMail.Plain("ann@alpha.example", "zed@one.example", "traced", "body");
        traced.Headers.Add("X-Trace", "trace-77f3c1");
        await CompatMail.SendAsync(sink, traced, CompatMail.Plain("ann@alpha.example", "zed@one.example", "other", "body"));

        var found = (await NodeApiClient.MailHogAsync(CompatMail.HttpPort(sink), "search", "TRACE-77F3C1")).Ok();

        Assert.Equal(["traced"], Subjects(found));
    }

    [Fact]
    public async Task DeleteMessage_and_deleteAll_succeed_with_MailHogs_empty_200()
    {
        await using var sink = await CompatMail.StartAsync();
        await CompatMail.SendAsync(
            sink,
            CompatMail.Plain("a@x.example", "b@y.example", "one", "1"),
            CompatMail.Plain("a@x.example", "b@y.example", "two", "2"),
            CompatMail.Plain("a@x.example", "b@y.example", "three", "3"));
        var port = CompatMail.HttpPort(sink);
        var newest = (await NodeApiClient.MailHogAsync(port, "latestFrom", "a@x.example")).Ok()["ID"]!.GetValue<string>();

        var deleted = (await NodeApiClient.MailHogAsync(port, "deleteMessage", newest)).Ok();
        Assert.Equal(200, deleted["statusCode"]!.GetValue<int>());
        Assert.Equal(["two", "one"], Subjects((await NodeApiClient.MailHogAsync(port, "messages")).Ok()));

        var all = (await NodeApiClient.MailHogAsync(port, "deleteAll")).Ok();
        Assert.Equal(200, all["statusCode"]!.GetValue<int>());
        Assert.Equal(0, (await NodeApiClient.MailHogAsync(port, "messages")).Ok()["total"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReleaseMessage_sends_the_original_bytes_to_the_server_in_the_request(bool portAsString)
    {
        await using var sink = await CompatMail.StartAsync();
        await using var target = await CompatMail.StartAsync();
        await CompatMail.SendAsync(sink, CompatMail.Multipart());
        var port = CompatMail.HttpPort(sink);
        var id = (await NodeApiClient.MailHogAsync(port, "latestFrom", "alice@example.com")).Ok()["ID"]!.GetValue<string>();
        object targetPort = portAsString ? target.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture) : target.SmtpPort;

        var released = (await NodeApiClient.MailHogAsync(port, "releaseMessage", id, new Dictionary<string, object>
        {
            ["host"] = "127.0.0.1",
            ["port"] = targetPort,
            ["email"] = "carol@release.example",
        })).Ok();

        Assert.Equal(200, released["statusCode"]!.GetValue<int>());
        var relayed = (await NodeApiClient.MailHogAsync(CompatMail.HttpPort(target), "latestTo", "carol@release.example")).Ok();
        Assert.Equal("Grüße aus Köln", relayed["subject"]!.GetValue<string>());
        Assert.Equal("alice@example.com", relayed["raw"]!["Raw"]!["From"]!.GetValue<string>());
        CompatMail.AssertOriginalBytes(await CompatMail.LatestRawAsync(sink), await CompatMail.LatestRawAsync(target));
    }

    [Fact]
    public async Task ReleaseMessage_to_a_refused_connection_resolves_with_a_problem_naming_it()
    {
        await using var sink = await CompatMail.StartAsync();
        await CompatMail.SendAsync(sink, CompatMail.Plain("a@x.example", "b@y.example", "one", "1"));
        var port = CompatMail.HttpPort(sink);
        var id = (await NodeApiClient.MailHogAsync(port, "latestFrom", "a@x.example")).Ok()["ID"]!.GetValue<string>();
        var closedPort = ClosedPort();

        var answer = (await NodeApiClient.MailHogAsync(port, "releaseMessage", id, new { host = "127.0.0.1", port = closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture), email = "c@z.example" })).Ok();

        // The client resolves with the parsed body: MailSink's problem, not an empty 200.
        var problem = answer["body"]!;
        Assert.Equal(502, problem["status"]!.GetValue<int>());
        Assert.Equal("connect", problem["stage"]!.GetValue<string>());
        Assert.Contains("refused the connection", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    internal static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static List<string> Subjects(JsonNode page) =>
        page["items"]!.AsArray().Select(i => i!["subject"]!.GetValue<string>()).ToList();
}
