using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using MailSink.Tests.TestHost;
using MailSink.TestShared;
using MimeKit;
using Xunit.Abstractions;

namespace MailSink.Tests.Storage.Cluster;

/// <summary>
/// kill -9 of one node of two on PostgreSQL while concurrent clients send to it: every message that got a 250 is on
/// the other node, byte for byte and once, and the other node accepts mail before, during and after the kill.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class NodeKillTests(PostgresServer server, ITestOutputHelper output)
{
    private readonly ConcurrentDictionary<string, byte[]> _sent = new();
    private readonly ConcurrentDictionary<string, string> _acked = new();
    private int _next;

    [PostgresFact]
    public async Task Kill_9_of_a_node_during_ingest_loses_no_acknowledged_message_and_the_other_node_keeps_accepting()
    {
        await using var nodes = await ClusterNodes.StartAsync(server, "kill");
        using var stopA = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var stopB = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ackedOnB = new ConcurrentBag<(string Subject, TimeSpan At)>();
        var clock = Stopwatch.StartNew();

        // Six clients on A (the node to kill), two on B (the survivor), all on reused connections.
        var onA = Enumerable.Range(0, 6).Select(i => SenderAsync(nodes.A.SmtpPort, $"a{i}", null, stopA.Token)).ToList();
        var onB = Enumerable.Range(0, 2).Select(i => SenderAsync(nodes.B.SmtpPort, $"b{i}", s => ackedOnB.Add((s, clock.Elapsed)), stopB.Token)).ToList();

        // Kill once A has acknowledged a good number, so the kill lands in the middle of its write batches.
        while (_acked.Keys.Count(k => k.StartsWith('a')) < 150 && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(10);
        }

        var ackedOnABeforeKill = _acked.Keys.Count(k => k.StartsWith('a'));
        Assert.True(ackedOnABeforeKill >= 150, $"only {ackedOnABeforeKill} acknowledged by A in 60 s");
        var killedAt = clock.Elapsed;
        await nodes.A.DisposeAsync(); // SIGKILL (Process.Kill), no shutdown of any kind
        await stopA.CancelAsync();
        await Task.WhenAll(onA);

        // B goes on: mail keeps being accepted for a while after the kill.
        await Task.Delay(TimeSpan.FromSeconds(2));
        await stopB.CancelAsync();
        await Task.WhenAll(onB);
        var bAfterKill = ackedOnB.Count(a => a.At > killedAt);
        output.WriteLine($"A acknowledged {_acked.Keys.Count(k => k.StartsWith('a'))} ({ackedOnABeforeKill} seen before the kill at {killedAt.TotalSeconds:F1} s); " +
                         $"B acknowledged {ackedOnB.Count}, {bAfterKill} of them after the kill; {_sent.Count - _acked.Count} in doubt");
        Assert.True(bAfterKill > 0, "node B accepted no mail after node A was killed");

        // Read back through B: every acknowledged message once, under its ID, byte for byte; nothing never sent.
        // A sender stopped mid-transaction may still have its message committed a moment later: offset paging over
        // a list that grows between two pages names a message twice, so read once the count has settled.
        await WaitUntilSettledAsync(nodes.B);
        var listed = await ListAllAsync(nodes.B);
        var bySubject = listed.GroupBy(m => m.Subject).ToDictionary(g => g.Key, g => g.Select(m => m.Id).ToList());
        var twice = bySubject.Where(g => g.Value.Count > 1).Select(g => $"{g.Key} as {string.Join(" and ", g.Value)} (acknowledged as {_acked.GetValueOrDefault(g.Key)})").ToList();
        Assert.True(twice.Count == 0, "stored twice: " + string.Join(", ", twice));
        var neverSent = bySubject.Keys.Where(s => !_sent.ContainsKey(s)).ToList();
        Assert.True(neverSent.Count == 0, "stored but never sent: " + string.Join(", ", neverSent));
        var missing = _acked.Where(a => !bySubject.ContainsKey(a.Key)).Select(a => $"{a.Key} ({a.Value})").ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged messages are not on B: {string.Join(", ", missing.Take(20))}");
        foreach (var (subject, id) in _acked)
        {
            Assert.Equal(id, bySubject[subject][0]);
            var raw = await nodes.B.Http.GetByteArrayAsync($"api/v1/message/{id}/raw");
            Assert.True(WithoutReceivedHeader(raw).AsSpan().SequenceEqual(_sent[subject]), $"{subject} ({id}): stored bytes differ from the bytes sent");
        }

        output.WriteLine($"all {_acked.Count} acknowledged messages present and byte-identical on B; {listed.Count - _acked.Count} in-doubt ones were stored too");
    }

    private async Task SenderAsync(int port, string prefix, Action<string>? acked, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new SmtpClient { Timeout = 30_000 };
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync("127.0.0.1", port, cancellationToken);
            await client.ConnectAsync(socket, "127.0.0.1", port, SecureSocketOptions.None, cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                var (subject, bytes) = NewMessage(prefix);
                var reply = await client.SendAsync(await MimeMessage.LoadAsync(new MemoryStream(bytes), cancellationToken), cancellationToken);
                _acked[subject] = MailKitSmtp.QueuedId(reply);
                acked?.Invoke(subject);
            }

            await client.DisconnectAsync(quit: true, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or MailKit.ServiceNotConnectedException
                                       or MailKit.ProtocolException or SmtpProtocolException or SmtpCommandException)
        {
            // The node was killed under this connection, or sending stopped: what was in flight stays in doubt.
        }
    }

    /// <summary>A message with a unique subject (its sender's prefix first) and a few KB of body.</summary>
    private (string Subject, byte[] Bytes) NewMessage(string prefix)
    {
        var n = Interlocked.Increment(ref _next);
        var subject = $"{prefix}-{n}";
        var random = new Random(n);
        var body = new StringBuilder();
        for (var line = 0; line < 20 + random.Next(60); line++)
        {
            body.Append(new string((char)('a' + random.Next(26)), 70)).Append("\r\n");
        }

        var bytes = Encoding.ASCII.GetBytes(
            $"From: kill@cluster.test\r\nTo: sink@cluster.test\r\nSubject: {subject}\r\nMessage-ID: <{subject}@cluster.test>\r\n" +
            $"Date: Mon, 30 Nov 2026 08:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n{body}");
        _sent[subject] = bytes;
        return (subject, bytes);
    }

    private static async Task WaitUntilSettledAsync(MailSinkProcess node)
    {
        var deadline = Stopwatch.StartNew();
        var last = -1;
        while (deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            using var page = JsonDocument.Parse(await node.Http.GetStringAsync("api/v1/messages?limit=1"));
            var count = page.RootElement.GetProperty("messages_count").GetInt32();
            if (count == last)
            {
                return;
            }

            last = count;
            await Task.Delay(500);
        }
    }

    private static async Task<List<(string Id, string Subject)>> ListAllAsync(MailSinkProcess node)
    {
        var result = new List<(string, string)>();
        while (true)
        {
            using var response = await node.Http.GetAsync($"api/v1/messages?start={result.Count}&limit=1000");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"list: {(int)response.StatusCode} {body}");
            using var page = JsonDocument.Parse(body);
            var messages = page.RootElement.GetProperty("messages");
            foreach (var m in messages.EnumerateArray())
            {
                result.Add((m.GetProperty("ID").GetString()!, m.GetProperty("Subject").GetString()!));
            }

            if (messages.GetArrayLength() == 0 || result.Count >= page.RootElement.GetProperty("messages_count").GetInt32())
            {
                return result;
            }
        }
    }

    /// <summary>MailSink prepends one Received header (with folded lines); the rest is what the client sent.</summary>
    private static byte[] WithoutReceivedHeader(byte[] raw)
    {
        Assert.True(raw.AsSpan().StartsWith("Received: "u8), "the stored message does not start with MailSink's Received header");
        var i = 0;
        do
        {
            i = Array.IndexOf(raw, (byte)'\n', i) + 1;
            Assert.True(i > 0, "the Received header never ends");
        }
        while (i < raw.Length && raw[i] is (byte)' ' or (byte)'\t');

        return raw[i..];
    }
}
