using MailKit.Net.Smtp;
using MailKit.Security;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Faults;

/// <summary>The "done means": greylisting through the API, MailKit as the client, a fake clock for the retry.</summary>
public sealed class GreylistTests(FaultsApp app) : IClassFixture<FaultsApp>
{
    [Fact]
    public async Task Greylist_defers_the_first_attempt_with_451_accepts_a_retry_after_the_delay_and_the_transcript_names_the_rule()
    {
        await app.ClearRulesAsync();
        var rule = await app.AddRuleAsync(new { Preset = "greylist", Action = new { RetryAfterSeconds = 300 } });
        var id = rule["ID"]!.GetValue<string>();
        var message = SmtpSending.NewMessage("greylisted", from: "app@shop.test", to: "ann@customer.test");

        var first = await Assert.ThrowsAsync<SmtpCommandException>(() => SmtpSending.SendOneAsync(app.SmtpPort, message));
        Assert.Equal(SmtpStatusCode.ErrorInProcessing, first.StatusCode);
        Assert.Equal("4.7.1 Greylisted, please try again later", first.Message);

        // A retry before the delay is still deferred (RFC 6647 section 2.1).
        app.Clock.Advance(TimeSpan.FromSeconds(299));
        var early = await Assert.ThrowsAsync<SmtpCommandException>(() => SmtpSending.SendOneAsync(app.SmtpPort, message));
        Assert.Equal(451, (int)early.StatusCode);

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var queued = await SmtpSending.SendOneAsync(app.SmtpPort, message);
        await app.WaitForMessageAsync(queued);

        var listed = (await app.GetJsonAsync("/api/v1/faults")).AsArray().Single(r => r!["ID"]!.GetValue<string>() == id)!;
        Assert.Equal(2, listed["Fired"]!.GetValue<int>());

        var session = await app.WaitForListedSessionAsync(s => s["Faults"]!.AsArray().Any(f => f!.GetValue<string>() == id), "the greylisted session");
        var transcript = await app.WaitForClosedSessionAsync(session["ID"]!.GetValue<string>());
        var lines = transcript["Lines"]!.AsArray().Select(l => l!["Text"]!.GetValue<string>()).ToList();
        var fired = lines.FindIndex(l => l.StartsWith($"Fault rule {id} (greylist) fired at rcpt", StringComparison.Ordinal));
        Assert.True(fired >= 0, string.Join("\n", lines));
        Assert.Equal("451 4.7.1 Greylisted, please try again later", lines[fired + 1]);
    }

    [Fact]
    public async Task Greylist_through_the_api_fires_once_when_the_retry_comes_after_the_delay()
    {
        await app.ClearRulesAsync();
        var id = (await app.AddRuleAsync(new { Preset = "greylist" }))["ID"]!.GetValue<string>();
        var message = SmtpSending.NewMessage("done means", from: "billing@shop.test", to: "bob@customer.test");

        var first = await Assert.ThrowsAsync<SmtpCommandException>(() => SmtpSending.SendOneAsync(app.SmtpPort, message));
        Assert.Equal(451, (int)first.StatusCode);
        Assert.StartsWith("4.7.1 ", first.Message, StringComparison.Ordinal);

        // Faults:GreylistDelay, one minute by default.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.WaitForMessageAsync(await SmtpSending.SendOneAsync(app.SmtpPort, message));

        Assert.Equal(1, (await app.GetRuleAsync(id))["Fired"]!.GetValue<int>());
    }
}
