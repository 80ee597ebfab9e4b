using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MailKit.Net.Smtp;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Faults;

/// <summary>/api/v1/faults: rules take effect on the next connection, are listed with their counts, and bad ones are refused by field.</summary>
public sealed class FaultsApiTests(FaultsApp app) : IClassFixture<FaultsApp>
{
    [Fact]
    public async Task A_rule_added_through_the_api_applies_to_the_next_connection_and_is_gone_after_delete()
    {
        await app.ClearRulesAsync();
        var rule = await app.AddRuleAsync(new { Preset = "user-unknown", Match = new { Recipient = "*@bounce.example" } });
        var id = rule["ID"]!.GetValue<string>();
        Assert.Equal("rcpt", rule["Stage"]!.GetValue<string>());
        Assert.Equal("*@bounce.example", rule["Match"]!["Recipient"]!.GetValue<string>());
        Assert.Equal(550, rule["Action"]!["Code"]!.GetValue<int>());

        var ex = await Assert.ThrowsAsync<SmtpCommandException>(() => SmtpSending.SendOneAsync(app.SmtpPort, SmtpSending.NewMessage("bounce", to: "x@bounce.example")));
        Assert.Equal(SmtpStatusCode.MailboxUnavailable, ex.StatusCode);
        await SmtpSending.SendOneAsync(app.SmtpPort, SmtpSending.NewMessage("not matched", to: "x@elsewhere.example"));

        using (var delete = await app.Http.DeleteAsync($"/api/v1/faults/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        await SmtpSending.SendOneAsync(app.SmtpPort, SmtpSending.NewMessage("after delete", to: "x@bounce.example"));
        using var gone = await app.Http.GetAsync($"/api/v1/faults/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Put_replaces_a_rule_in_place_and_the_next_command_sees_the_new_reply()
    {
        await app.ClearRulesAsync();
        var id = (await app.AddRuleAsync(new { Preset = "mailbox-full", Match = new { Recipient = "full@x.test" } }))["ID"]!.GetValue<string>();

        using var put = await app.Http.PutAsJsonAsync($"/api/v1/faults/{id}", new { Preset = "mailbox-full-permanent", Match = new { Recipient = "full@x.test" } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var ex = await Assert.ThrowsAsync<SmtpCommandException>(() => SmtpSending.SendOneAsync(app.SmtpPort, SmtpSending.NewMessage("full", to: "full@x.test")));
        Assert.Equal("5.2.2 Mailbox full: over quota", ex.Message);

        using var missing = await app.Http.PutAsJsonAsync("/api/v1/faults/nope", new { Preset = "blocked" });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Count_stops_a_rule_after_that_many_firings()
    {
        await app.ClearRulesAsync();
        var id = (await app.AddRuleAsync(new { Preset = "user-unknown", Count = 2 }))["ID"]!.GetValue<string>();
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@x.test>")).Code);

        var codes = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            codes.Add((await client.CommandAsync($"RCPT TO:<r{i}@x.test>")).Code);
        }

        Assert.Equal([550, 550, 250, 250], codes);
        Assert.Equal(2, (await app.GetRuleAsync(id))["Fired"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_seeded_probability_fires_in_the_same_pattern_every_run()
    {
        await app.ClearRulesAsync();
        await app.AddRuleAsync(new { Preset = "mailbox-full", Probability = 50, Seed = 1234 });

        // The rule rolls once per match: the same seed gives the same sequence as System.Random with that seed.
        var random = new Random(1234);
        var expected = Enumerable.Range(0, 12).Select(_ => random.NextDouble() * 100 < 50 ? 452 : 250).ToList();
        Assert.Contains(452, expected);
        Assert.Contains(250, expected);

        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@x.test>")).Code);
        var codes = new List<int>();
        for (var i = 0; i < expected.Count; i++)
        {
            codes.Add((await client.CommandAsync($"RCPT TO:<r{i}@x.test>")).Code);
        }

        Assert.Equal(expected, codes);
    }

    [Theory]
    [InlineData("""{"Preset":"user-unknow"}""", "Preset")]
    [InlineData("""{"Preset":"user-unknown","Match":{"Recipient":"/[unclosed/"}}""", "Match.Recipient")]
    [InlineData("""{"Stage":"connect","Match":{"Recipient":"a@b.test"},"Action":{"Kind":"reply","Code":550}}""", "Match.Recipient")]
    [InlineData("""{"Action":{"Kind":"reply","Code":250}}""", "Action.Code")]
    [InlineData("""{"Action":{"Kind":"reply","Code":550,"EnhancedCode":"4.1.1"}}""", "Action.EnhancedCode")]
    [InlineData("""{"Preset":"blocked","Probability":150}""", "Probability")]
    [InlineData("""{"Preset":"blocked","Count":0}""", "Count")]
    [InlineData("""{"Stage":"later","Preset":"blocked"}""", "Stage")]
    [InlineData("""{"Action":{"Kind":"drop"},"Stage":"rcpt"}""", "Stage")]
    [InlineData("""{"Action":{"Kind":"tag"}}""", "Action.Tag")]
    [InlineData("""{"Action":{"Kind":"explode"}}""", "Action.Kind")]
    public async Task A_bad_rule_gets_a_400_problem_naming_the_field(string body, string field)
    {
        using var response = await app.Http.PostAsync("/api/v1/faults", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, problem["parameter"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
    }

    [Fact]
    public async Task Rules_at_ehlo_and_data_answer_there_and_the_session_lists_the_rule()
    {
        await app.ClearRulesAsync();
        var ehlo = (await app.AddRuleAsync(new { Stage = "ehlo", Match = new { Helo = "bad.client" }, Action = new { Kind = "reply", Code = 554, EnhancedCode = "5.7.1", Text = "Go away" } }))["ID"]!.GetValue<string>();
        await app.AddRuleAsync(new { Stage = "data", Match = new { Sender = "*@late.test" }, Action = new { Kind = "reply", Code = 451, EnhancedCode = "4.3.0", Text = "Try later" } });

        await using (var raw = await RawSmtpClient.ConnectAsync(app.SmtpPort))
        {
            Assert.Equal(220, (await raw.ReadReplyAsync()).Code);
            Assert.Equal("554 5.7.1 Go away", (await raw.CommandAsync("EHLO bad.client")).ToString());
            Assert.Equal(250, (await raw.CommandAsync("EHLO good.client")).Code);
            Assert.Equal(250, (await raw.CommandAsync("MAIL FROM:<a@late.test>")).Code);
            Assert.Equal(250, (await raw.CommandAsync("RCPT TO:<b@x.test>")).Code);
            Assert.Equal("451 4.3.0 Try later", (await raw.CommandAsync("DATA")).ToString());
        }

        var session = await app.WaitForListedSessionAsync(s => s["Faults"]!.AsArray().Any(f => f!.GetValue<string>() == ehlo), "the session with faults");
        Assert.Equal(2, session["Faults"]!.AsArray().Count);
    }

    [Fact]
    public async Task Drop_answers_250_but_stores_nothing_and_tag_stores_the_message_with_the_tag()
    {
        await app.ClearRulesAsync();
        var drop = (await app.AddRuleAsync(new { Action = new { Kind = "drop" }, Match = new { Recipient = "void@x.test" } }))["ID"]!.GetValue<string>();
        await app.AddRuleAsync(new { Action = new { Kind = "tag", Tag = "rehearsal" }, Match = new { Recipient = "tagged+plus@x.test" } });

        var dropped = await SmtpSending.SendOneAsync(app.SmtpPort, SmtpSending.NewMessage("dropped", to: "void@x.test"));
        var tagged = await SmtpSending.SendOneAsync(app.SmtpPort, SmtpSending.NewMessage("tagged", to: "tagged+plus@x.test"));

        var message = await app.WaitForMessageAsync(tagged);
        // The rule's tag is added to the one the plus-address gave, not put in its place.
        Assert.Equal(["plus", "rehearsal"], message["Tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        using var missing = await app.Http.GetAsync($"/api/v1/message/{dropped}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        // The session that was answered 250 delivered nothing and says why.
        var listed = await app.WaitForListedSessionAsync(s => s["Faults"]!.AsArray().Any(f => f!.GetValue<string>() == drop), "the dropping session");
        Assert.Empty(listed["MessageIDs"]!.AsArray());
        var session = await app.WaitForClosedSessionAsync(listed["ID"]!.GetValue<string>());
        Assert.Contains(session["Lines"]!.AsArray(), l => l!["Text"]!.GetValue<string>() == $"Fault rule {drop} (drop) fired at end-of-data: message accepted and dropped (not stored)");
    }

    [Fact]
    public async Task The_presets_are_listed_with_their_stage_kind_and_what_they_do()
    {
        var presets = (await app.GetJsonAsync("/api/v1/faults/presets")).AsArray();

        var unknown = presets.Single(p => p!["Name"]!.GetValue<string>() == "user-unknown")!;
        Assert.Equal(("rcpt", "reply", "550 5.1.1 User unknown: no such mailbox"), (unknown["Stage"]!.GetValue<string>(), unknown["Kind"]!.GetValue<string>(), unknown["Description"]!.GetValue<string>()));
        Assert.Equal("greylist", presets.Single(p => p!["Name"]!.GetValue<string>() == "greylist")!["Kind"]!.GetValue<string>());
        Assert.Equal(15, presets.Count);
    }
}
