using System.Globalization;
using MailSink.Hosting;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Api.Compat;

/// <summary>
/// Relay:Tls through mailpit-api's releaseMessage, against a second MailSink's STARTTLS and implicit-TLS listeners
/// (a self-signed certificate): delivered with Relay:AllowInsecure, refused at the TLS step without it.
/// </summary>
public sealed class RelayTlsTests
{
    [Theory]
    [InlineData("starttls")]
    [InlineData("tls")]
    public async Task A_relay_with_a_self_signed_certificate_is_used_when_insecure_is_allowed(string tls)
    {
        await using var target = await CompatMail.StartAsync(tls: true);
        await using var sink = await CompatMail.StartAsync(("Relay:Host", "127.0.0.1"), ("Relay:Port", Port(target, tls)), ("Relay:Tls", tls), ("Relay:AllowInsecure", "true"));
        await CompatMail.SendAsync(sink, CompatMail.Multipart());

        var answer = (await NodeApiClient.MailpitAsync(CompatMail.HttpPort(sink), "releaseMessage", "latest", new { To = new[] { "tls@release.example" } })).Ok();

        Assert.Equal("ok", answer.GetValue<string>());
        var relayed = (await NodeApiClient.MailpitAsync(CompatMail.HttpPort(target), "getMessageSummary", "latest")).Ok();
        Assert.NotNull(relayed["Tls"]);
        CompatMail.AssertOriginalBytes(await CompatMail.LatestRawAsync(sink), await CompatMail.LatestRawAsync(target));
    }

    [Theory]
    [InlineData("starttls")]
    [InlineData("tls")]
    public async Task A_certificate_that_does_not_validate_fails_the_release_at_the_TLS_step(string tls)
    {
        await using var target = await CompatMail.StartAsync(tls: true);
        await using var sink = await CompatMail.StartAsync(("Relay:Host", "127.0.0.1"), ("Relay:Port", Port(target, tls)), ("Relay:Tls", tls));
        await CompatMail.SendAsync(sink, CompatMail.Plain("a@x.example", "b@y.example", "s", "x"));

        var call = await NodeApiClient.MailpitAsync(CompatMail.HttpPort(sink), "releaseMessage", "latest", new { To = new[] { "tls@release.example" } });

        Assert.Equal(1, call.ExitCode);
        Assert.Contains("502", call.Output, StringComparison.Ordinal);
        Assert.Contains("\"stage\":\"tls\"", call.Output, StringComparison.Ordinal);
    }

    private static string Port(MailSinkServer target, string tls) =>
        (tls == "tls" ? target.SmtpsPort : target.SubmissionPort).ToString(CultureInfo.InvariantCulture);
}
