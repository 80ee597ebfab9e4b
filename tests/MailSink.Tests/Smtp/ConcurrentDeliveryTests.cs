using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Smtp;

/// <summary>
/// Many clients at once over reused connections: every accepted message is stored exactly once.
/// Runs alone: it saturates both cores, which would skew other classes' latency assertions.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class ConcurrentDeliveryTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    private const int Clients = 50;
    private const int MessagesPerClient = 20;

    [Fact]
    public async Task Fifty_clients_sending_twenty_messages_each_store_exactly_one_thousand()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var sends = Enumerable.Range(0, Clients).Select(c => SendBatchAsync(run, c));
        var ids = (await Task.WhenAll(sends)).SelectMany(x => x).ToList();

        Assert.Equal(Clients * MessagesPerClient, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());

        var stored = await app.ListAllMessagesAsync();
        var mine = stored.Where(m => m["Subject"]!.GetValue<string>().StartsWith($"load {run} ", StringComparison.Ordinal)).ToList();
        var subjects = mine.Select(m => m["Subject"]!.GetValue<string>()).ToList();
        var messageIds = mine.Select(m => m["MessageID"]!.GetValue<string>()).ToList();
        var storedIds = mine.Select(m => m["ID"]!.GetValue<string>()).ToHashSet();

        Assert.Equal(Clients * MessagesPerClient, mine.Count);
        Assert.Equal(mine.Count, subjects.Distinct().Count());
        Assert.Equal(mine.Count, messageIds.Distinct().Count());
        var expectedSubjects = Enumerable.Range(0, Clients).SelectMany(c => Enumerable.Range(0, MessagesPerClient).Select(m => $"load {run} {c}-{m}"));
        Assert.Empty(expectedSubjects.Except(subjects));
        Assert.True(storedIds.SetEquals(ids), "the IDs in the 250 replies and the stored IDs differ");
    }

    private async Task<List<string>> SendBatchAsync(string run, int clientNumber)
    {
        var ids = new List<string>(MessagesPerClient);
        using var client = SmtpSending.NewClient();

        // MailKit with Nagle on adds ~40 ms a message (FIELD-NOTES).
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", app.SmtpPort);
        await client.ConnectAsync(socket, "127.0.0.1", app.SmtpPort, SecureSocketOptions.None);
        for (var m = 0; m < MessagesPerClient; m++)
        {
            var message = SmtpSending.NewMessage($"load {run} {clientNumber}-{m}", from: $"client{clientNumber}@example.test", to: $"box{m}@example.test");
            ids.Add(SmtpSending.QueuedId(await client.SendAsync(message)));
        }

        await client.DisconnectAsync(quit: true);
        return ids;
    }
}
