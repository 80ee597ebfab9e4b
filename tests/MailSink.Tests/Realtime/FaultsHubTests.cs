using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using MailKit.Net.Smtp;
using MailSink.Tests.Faults;
using MailSink.Tests.TestHost;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace MailSink.Tests.Realtime;

/// <summary>
/// The hub's faultsChanged: every change to the rules and every firing pushes the whole list, with the counts, so
/// the web inbox's Faults page follows without polling.
/// </summary>
public sealed class FaultsHubTests(FaultsApp app) : IClassFixture<FaultsApp>
{
    [Fact]
    public async Task Adding_a_rule_firing_it_and_deleting_it_each_push_the_rule_list_with_its_count()
    {
        await app.ClearRulesAsync();
        var pushes = Channel.CreateUnbounded<JsonElement[]>();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(app.Http.BaseAddress!, "hubs/inbox"), o =>
            {
                o.HttpMessageHandlerFactory = _ => app.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
            })
            .Build();
        hub.On<JsonElement[]>("faultsChanged", rules => pushes.Writer.TryWrite(rules));
        await hub.StartAsync();

        var id = (await app.AddRuleAsync(new { Preset = "user-unknown", Match = new { Recipient = "*@hub-bounce.test" } }))["ID"]!.GetValue<string>();
        Assert.Equal(0, await FiredAsync(pushes, id, fired => fired == 0));

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => SmtpSending.SendOneAsync(app.SmtpPort, SmtpSending.NewMessage("trip", to: "ann@hub-bounce.test")));
        Assert.Equal(SmtpStatusCode.MailboxUnavailable, error.StatusCode);
        Assert.Equal(1, await FiredAsync(pushes, id, fired => fired == 1));

        using var deleted = await app.Http.DeleteAsync($"/api/v1/faults/{id}");
        Assert.Null(await FiredAsync(pushes, id, fired => fired is null));
    }

    /// <summary>Reads pushes until one shows the rule's count as <paramref name="expected"/> wants (null: the rule is gone).</summary>
    private static async Task<int?> FiredAsync(Channel<JsonElement[]> pushes, string id, Func<int?, bool> expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var seen = new List<string>();
        try
        {
            while (true)
            {
                var rules = await pushes.Reader.ReadAsync(timeout.Token);
                var rule = rules.Where(r => r.GetProperty("ID").GetString() == id).Select(r => (int?)r.GetProperty("Fired").GetInt32()).FirstOrDefault();
                seen.Add(rule?.ToString(CultureInfo.InvariantCulture) ?? "absent");
                if (expected(rule))
                {
                    return rule;
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"No faultsChanged push showed the expected count for {id}; saw: {string.Join(", ", seen)}");
            throw;
        }
    }
}
