using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailSink.Tests.TestHost;
using MailSink.TestShared;
using MimeKit;
using Xunit.Abstractions;

namespace MailSink.Tests.Storage.Cluster;

/// <summary>
/// Fault rules live in PostgreSQL when that is the store: a rule added through node A's API fires for a real SMTP client
/// of node B, a limited rule's count is one counter for both nodes, and a rule deleted on B stops firing on A.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CrossNodeFaultTests(PostgresServer server, ITestOutputHelper output)
{
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(10);

    [PostgresFact]
    public async Task A_rule_added_through_node_A_fires_on_node_B_with_one_shared_count_and_a_delete_on_B_reaches_A()
    {
        await using var nodes = await ClusterNodes.StartAsync(server, "faults");

        var added = await nodes.A.Http.PostAsJsonAsync("api/v1/faults", new
        {
            ID = "made-on-a",
            Match = new { Recipient = "blocked@cluster.test" },
            Action = new { Kind = "reply", Code = 550, EnhancedCode = "5.7.1", Text = "Refused by a rule made on node A" },
        });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var seenAfter = await WaitForRuleAsync(nodes.B, "made-on-a", r => true);
        output.WriteLine($"rule added on A listed by B after {seenAfter.TotalMilliseconds:F0} ms");

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => SendAsync(nodes.B, "blocked@cluster.test"));
        Assert.Equal((SmtpStatusCode)550, refused.StatusCode);
        Assert.Contains("Refused by a rule made on node A", refused.Message, StringComparison.Ordinal);

        // The firing on B is counted where A reads it.
        await WaitForRuleAsync(nodes.A, "made-on-a", r => r.GetProperty("Fired").GetInt32() == 1);

        // "Fail twice": once through B, once through A, then the shared count is spent on both nodes.
        var limited = await nodes.A.Http.PostAsJsonAsync("api/v1/faults", new
        {
            ID = "twice",
            Count = 2,
            Match = new { Recipient = "twice@cluster.test" },
            Action = new { Kind = "reply", Code = 451, EnhancedCode = "4.3.0", Text = "Shared count" },
        });
        Assert.Equal(HttpStatusCode.Created, limited.StatusCode);
        await WaitForRuleAsync(nodes.B, "twice", r => true);
        Assert.Equal((SmtpStatusCode)451, (await Assert.ThrowsAsync<SmtpCommandException>(() => SendAsync(nodes.B, "twice@cluster.test"))).StatusCode);
        await WaitForRuleAsync(nodes.A, "twice", r => r.GetProperty("Fired").GetInt32() == 1);
        Assert.Equal((SmtpStatusCode)451, (await Assert.ThrowsAsync<SmtpCommandException>(() => SendAsync(nodes.A, "twice@cluster.test"))).StatusCode);
        await WaitForRuleAsync(nodes.B, "twice", r => r.GetProperty("Fired").GetInt32() == 2);
        MailKitSmtp.QueuedId(await SendAsync(nodes.B, "twice@cluster.test"));
        MailKitSmtp.QueuedId(await SendAsync(nodes.A, "twice@cluster.test"));

        // Deleted through B: gone from A's list and no longer fires there.
        Assert.Equal(HttpStatusCode.NoContent, (await nodes.B.Http.DeleteAsync("api/v1/faults/made-on-a")).StatusCode);
        var deadline = Stopwatch.StartNew();
        while ((await nodes.A.Http.GetAsync("api/v1/faults/made-on-a")).StatusCode != HttpStatusCode.NotFound)
        {
            Assert.True(deadline.Elapsed < Propagation, "the rule deleted on B is still listed by A");
            await Task.Delay(25);
        }

        MailKitSmtp.QueuedId(await SendAsync(nodes.A, "blocked@cluster.test"));
    }

    [PostgresFact]
    public async Task Chaos_set_through_node_A_is_shown_and_carried_out_by_node_B_and_Jim_enabled_on_B_is_shown_by_A()
    {
        await using var nodes = await ClusterNodes.StartAsync(server, "chaos");

        var set = await nodes.A.Http.PutAsJsonAsync("api/v1/chaos", new { Sender = new { ErrorCode = 452, Probability = 100 } });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var chaos = JsonDocument.Parse(await nodes.B.Http.GetStringAsync("api/v1/chaos")).RootElement.GetProperty("Sender");
            if (chaos.GetProperty("ErrorCode").GetInt32() == 452 && chaos.GetProperty("Probability").GetDouble() == 100)
            {
                break;
            }

            Assert.True(watch.Elapsed < Propagation, $"B still shows Chaos Sender {chaos}");
            await Task.Delay(25);
        }

        await WaitForRuleAsync(nodes.B, "chaos-sender", r => true);
        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => SendAsync(nodes.B, "anyone@cluster.test"));
        Assert.Equal((SmtpStatusCode)452, refused.StatusCode);
        Assert.Contains("Chaos Sender error", refused.Message, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await nodes.A.Http.GetAsync("api/v2/jim")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await nodes.B.Http.PostAsync("api/v2/jim", null)).StatusCode);
        watch.Restart();
        while ((await nodes.A.Http.GetAsync("api/v2/jim")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(watch.Elapsed < Propagation, "Jim enabled on B is still off on A");
            await Task.Delay(25);
        }
    }

    /// <summary>Polls a node's GET /api/v1/faults/{id} until the rule is there and <paramref name="until"/> holds; returns how long it took.</summary>
    private static async Task<TimeSpan> WaitForRuleAsync(MailSinkProcess node, string id, Func<JsonElement, bool> until)
    {
        var watch = Stopwatch.StartNew();
        var last = "";
        while (watch.Elapsed < Propagation)
        {
            using var response = await node.Http.GetAsync($"api/v1/faults/{id}");
            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            if (response.StatusCode == HttpStatusCode.OK && until(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement))
            {
                return watch.Elapsed;
            }

            await Task.Delay(25);
        }

        Assert.Fail($"rule {id} not as expected on {node.BaseUrl} within {Propagation.TotalSeconds} s; last answer: {last}");
        return watch.Elapsed;
    }

    private static Task<string> SendAsync(MailSinkProcess node, string recipient)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("app@cluster.test"));
        message.To.Add(MailboxAddress.Parse(recipient));
        message.Subject = "to " + recipient;
        message.Body = new TextPart("plain") { Text = "hello\r\n" };
        return MailKitSmtp.SendAsync(node.SmtpPort, message);
    }
}
