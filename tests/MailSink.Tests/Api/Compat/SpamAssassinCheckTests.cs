using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MailSink.Diagnostics.SpamAssassin;
using MailSink.Tests.Contracts;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Api.Compat;

/// <summary>Mailpit's sa-check against a real SpamAssassin spamd (Debian's spamd package), started here on a free port.</summary>
public sealed class SpamAssassinCheckTests
{
    [ToolFact("spamd")]
    public async Task A_configured_spamd_scores_the_message_and_the_answer_is_Mailpit_s_shape()
    {
        await using var spamd = await Spamd.StartAsync();
        await using var app = await MailSinkApp.StartAsync(null, memory: true, new Dictionary<string, string?> { ["Diagnostics:SpamAssassin"] = spamd.Address });
        Assert.True((await app.GetJsonAsync("/api/v1/webui"))["SpamAssassin"]!.GetValue<bool>());

        using var send = await app.Http.PostAsJsonAsync("/api/v1/send", new { From = new { Email = "a@example.test" }, To = new[] { new { Email = "b@example.test" } }, Subject = "offer", Text = "Buy cheap viagra now!!!" });
        send.EnsureSuccessStatusCode();

        var result = await app.GetJsonAsync("/api/v1/message/latest/sa-check");
        MailpitSwagger.Instance.AssertResponse("GET", "/api/v1/message/{ID}/sa-check", 200, result);
        Assert.Equal("", result["Error"]!.GetValue<string>());
        var rules = result["Rules"]!.AsArray().ToDictionary(r => r!["Name"]!.GetValue<string>(), r => r!["Score"]!.GetValue<double>());
        Assert.Contains("DRUGS_ERECTILE", rules.Keys);
        Assert.Equal(rules.Values.Sum(), result["Score"]!.GetValue<double>(), 1);
        Assert.Equal(result["Score"]!.GetValue<double>() >= 5, result["IsSpam"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_spamd_that_does_not_answer_is_reported_in_Error_as_Mailpit_does()
    {
        var port = Spamd.FreePort();
        await using var app = await MailSinkApp.StartAsync(null, memory: true, new Dictionary<string, string?> { ["Diagnostics:SpamAssassin"] = $"127.0.0.1:{port}" });
        using var send = await app.Http.PostAsJsonAsync("/api/v1/send", new { From = new { Email = "a@example.test" }, Subject = "x", Text = "x" });
        send.EnsureSuccessStatusCode();

        var result = await app.GetJsonAsync("/api/v1/message/latest/sa-check");
        Assert.StartsWith($"spamd at 127.0.0.1:{port} did not answer", result["Error"]!.GetValue<string>());
        Assert.Empty(result["Rules"]!.AsArray());
    }

    [Fact]
    public void A_REPORT_answer_is_read_into_verdict_score_and_rules()
    {
        const string answer = "SPAMD/1.1 0 EX_OK\r\nContent-length: 300\r\nSpam: True ; 7.3 / 5.0\r\n\r\n"
            + "Content analysis details:   (7.3 points, 5.0 required)\n\n"
            + " pts rule name              description\n"
            + "---- ---------------------- --------------------------------------------------\n"
            + " 2.7 MISSING_DATE           Missing Date: header\n"
            + "-0.0 NO_RELAYS              Informational: message was not relayed via SMTP\n"
            + " 4.6 URIBL_BLACK            Contains an URL listed in the URIBL blacklist\n"
            + "                            [URIs: example.test]\n\n";
        var result = SpamdClient.Parse(answer);
        Assert.True(result.IsSpam);
        Assert.Equal(7.3, result.Score);
        Assert.Equal(["MISSING_DATE", "NO_RELAYS", "URIBL_BLACK"], result.Rules.Select(r => r.Name));
        Assert.Equal("Contains an URL listed in the URIBL blacklist [URIs: example.test]", result.Rules[2].Description);
        Assert.Equal("spamd refused the check: SPAMD/1.0 76 Bad header line", SpamdClient.Parse("SPAMD/1.0 76 Bad header line\r\n\r\n").Error);
    }
}
