using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MailKit.Net.Smtp;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Faults;

/// <summary>Mailpit's Chaos and MailHog's Jim answer as their clients expect and become fault rules.</summary>
public sealed class CompatFaultsTests(FaultsApp app) : IClassFixture<FaultsApp>
{
    [Fact]
    public async Task Chaos_starts_at_Mailpit_defaults_and_a_sender_trigger_at_100_percent_fails_MAIL_with_its_code()
    {
        await app.ClearRulesAsync();
        var defaults = await app.GetJsonAsync("/api/v1/chaos");
        Assert.Equal(451, defaults["Sender"]!["ErrorCode"]!.GetValue<int>());
        Assert.Equal(535, defaults["Authentication"]!["ErrorCode"]!.GetValue<int>());
        Assert.Equal(0, defaults["Recipient"]!["Probability"]!.GetValue<int>());

        using var put = await app.Http.PutAsJsonAsync("/api/v1/chaos", new { Sender = new { ErrorCode = 421, Probability = 100 } });
        var body = JsonNode.Parse(await put.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(421, body["Sender"]!["ErrorCode"]!.GetValue<int>());
        Assert.Equal(451, body["Recipient"]!["ErrorCode"]!.GetValue<int>());

        var ex = await Assert.ThrowsAsync<SmtpCommandException>(() => SmtpSending.SendOneAsync(app.SmtpPort, SmtpSending.NewMessage("chaos")));
        Assert.Equal(421, (int)ex.StatusCode);
        Assert.EndsWith("Chaos Sender error", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await app.GetRuleAsync("chaos-sender"))["Fired"]!.GetValue<int>());

        // Triggers left out of a PUT go back to 0%.
        using var reset = await app.Http.PutAsJsonAsync("/api/v1/chaos", new { });
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        await SmtpSending.SendOneAsync(app.SmtpPort, SmtpSending.NewMessage("calm"));
    }

    [Theory]
    [InlineData("""{"Recipient":{"ErrorCode":200,"Probability":5}}""", "Recipient.ErrorCode")]
    [InlineData("""{"Authentication":{"ErrorCode":535,"Probability":101}}""", "Authentication.Probability")]
    public async Task Chaos_refuses_an_out_of_range_trigger_with_400(string body, string field)
    {
        using var response = await app.Http.PutAsync("/api/v1/chaos", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["parameter"]!.GetValue<string>());
    }

    [Fact]
    public async Task Jim_answers_with_MailHog_status_codes_and_rejects_recipients_while_on()
    {
        await app.ClearRulesAsync();
        using (var off = await app.Http.GetAsync("/api/v2/jim"))
        {
            Assert.Equal(HttpStatusCode.NotFound, off.StatusCode);
        }

        using (var putWhileOff = await app.Http.PutAsJsonAsync("/api/v2/jim", new { RejectRecipientChance = 1 }))
        {
            Assert.Equal(HttpStatusCode.NotFound, putWhileOff.StatusCode);
        }

        using (var enable = await app.Http.PostAsJsonAsync("/api/v2/jim", new { AcceptChance = 1, RejectRecipientChance = 1 }))
        {
            Assert.Equal(HttpStatusCode.Created, enable.StatusCode);
        }

        using (var again = await app.Http.PostAsync("/api/v2/jim", null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        }

        var settings = await app.GetJsonAsync("/api/v2/jim");
        Assert.Equal(1, settings["RejectRecipientChance"]!.GetValue<double>());
        Assert.Equal(0, settings["DisconnectChance"]!.GetValue<double>());

        var ex = await Assert.ThrowsAsync<SmtpCommandException>(() => SmtpSending.SendOneAsync(app.SmtpPort, SmtpSending.NewMessage("jim")));
        Assert.Equal(550, (int)ex.StatusCode);

        using (var replace = await app.Http.PutAsJsonAsync("/api/v2/jim", new { AcceptChance = 1 }))
        {
            Assert.Equal(HttpStatusCode.OK, replace.StatusCode);
        }

        await SmtpSending.SendOneAsync(app.SmtpPort, SmtpSending.NewMessage("jim calmer"));

        using (var disable = await app.Http.DeleteAsync("/api/v2/jim"))
        {
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        }

        using (var disableAgain = await app.Http.DeleteAsync("/api/v2/jim"))
        {
            Assert.Equal(HttpStatusCode.NotFound, disableAgain.StatusCode);
        }

        Assert.DoesNotContain((await app.GetJsonAsync("/api/v1/faults")).AsArray(), r => r!["ID"]!.GetValue<string>().StartsWith("jim-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Jim_enabled_without_a_body_takes_MailHog_defaults()
    {
        await app.ClearRulesAsync();
        using var enable = await app.Http.PostAsync("/api/v2/jim", null);
        Assert.Equal(HttpStatusCode.Created, enable.StatusCode);

        var settings = await app.GetJsonAsync("/api/v2/jim");
        Assert.Equal(0.005, settings["DisconnectChance"]!.GetValue<double>());
        Assert.Equal(0.99, settings["AcceptChance"]!.GetValue<double>());
        Assert.Equal(10240, settings["LinkSpeedMax"]!.GetValue<double>());
        await app.ClearRulesAsync();
    }
}
