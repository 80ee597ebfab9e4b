using MailSink.Tests.TestHost;

namespace MailSink.Tests.Api.Compat;

/// <summary>
/// mailpit-api's releaseMessage (POST /api/v1/message/{ID}/release, {"To":[...]}) through the relay configured
/// with Relay:* (Mailpit's --smtp-relay-*), run as a Node process: "ok" and the original bytes at the relay, or the
/// client's error carrying MailSink's problem.
/// </summary>
public sealed class MailpitReleaseClientTests
{
    [Fact]
    public async Task ReleaseMessage_relays_the_original_bytes_to_the_configured_relay_and_answers_ok()
    {
        await using var target = await CompatMail.StartAsync();
        await using var sink = await RelayingToAsync(target);
        await CompatMail.SendAsync(sink, CompatMail.Multipart());

        var answer = (await NodeApiClient.MailpitAsync(CompatMail.HttpPort(sink), "releaseMessage", "latest", new { To = new[] { "one@release.example", "two@release.example" } })).Ok();

        Assert.Equal("ok", answer.GetValue<string>());
        using var http = new HttpClient { BaseAddress = target.BaseAddress };
        var relayed = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync("/api/v2/messages"))!;
        var rcpt = relayed["items"]![0]!["Raw"]!["To"]!.AsArray().Select(t => t!.GetValue<string>());
        Assert.Equal(["one@release.example", "two@release.example"], rcpt);
        CompatMail.AssertOriginalBytes(await CompatMail.LatestRawAsync(sink), await CompatMail.LatestRawAsync(target));
    }

    [Fact]
    public async Task ReleaseMessage_without_a_configured_relay_fails_with_a_400_that_says_so()
    {
        await using var sink = await CompatMail.StartAsync();
        await CompatMail.SendAsync(sink, CompatMail.Plain("a@x.example", "b@y.example", "s", "x"));

        var call = await NodeApiClient.MailpitAsync(CompatMail.HttpPort(sink), "releaseMessage", "latest", new { To = new[] { "c@z.example" } });

        Assert.Equal(1, call.ExitCode);
        Assert.Contains("400", call.Output, StringComparison.Ordinal);
        Assert.Contains("Relay:Host", call.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReleaseMessage_to_a_recipient_outside_the_allowed_pattern_is_refused_and_nothing_is_sent()
    {
        await using var target = await CompatMail.StartAsync();
        await using var sink = await RelayingToAsync(target, ("Relay:AllowedRecipients", @"@release\.example$"));
        await CompatMail.SendAsync(sink, CompatMail.Plain("a@x.example", "b@y.example", "s", "x"));

        var call = await NodeApiClient.MailpitAsync(CompatMail.HttpPort(sink), "releaseMessage", "latest", new { To = new[] { "ok@release.example", "boss@elsewhere.example" } });

        Assert.Equal(1, call.ExitCode);
        Assert.Contains("boss@elsewhere.example", call.Output, StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = target.BaseAddress };
        var page = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync("/api/v2/messages"))!;
        Assert.Equal(0, page["total"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("Ann <ann@release.example>")]
    public async Task ReleaseMessage_with_something_other_than_a_bare_address_is_a_400(string recipient)
    {
        await using var target = await CompatMail.StartAsync();
        await using var sink = await RelayingToAsync(target);
        await CompatMail.SendAsync(sink, CompatMail.Plain("a@x.example", "b@y.example", "s", "x"));

        var call = await NodeApiClient.MailpitAsync(CompatMail.HttpPort(sink), "releaseMessage", "latest", new { To = new[] { recipient } });

        Assert.Equal(1, call.ExitCode);
        Assert.Contains("400", call.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReleaseMessage_of_an_unknown_message_is_a_404()
    {
        await using var target = await CompatMail.StartAsync();
        await using var sink = await RelayingToAsync(target);

        var call = await NodeApiClient.MailpitAsync(CompatMail.HttpPort(sink), "releaseMessage", "NOSUCHID", new { To = new[] { "c@release.example" } });

        Assert.Equal(1, call.ExitCode);
        Assert.Contains("404", call.Output, StringComparison.Ordinal);
    }

    private static Task<MailSink.Hosting.MailSinkServer> RelayingToAsync(MailSink.Hosting.MailSinkServer target, params (string, string)[] more) =>
        CompatMail.StartAsync([("Relay:Host", "127.0.0.1"), ("Relay:Port", target.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. more]);
}
