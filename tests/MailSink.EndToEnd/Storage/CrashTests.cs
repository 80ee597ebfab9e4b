using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using MailKit.Security;
using MailSink.EndToEnd.Browser.Infrastructure;
using MimeKit;
using Xunit.Abstractions;

namespace MailSink.EndToEnd.Storage;

/// <summary>
/// The crash suite of issue 13: the real process killed with SIGKILL while it ingests (concurrent MailKit
/// senders), while its writer commits batches, while retention prunes, and while it deletes everything;
/// restarted on the same LiteDB file after each kill. Every message that got a 250 is read back byte for
/// byte, none is stored twice, and a delete-all is either complete or not started.
/// <para>
/// Short form here (one kill per case, ~100 messages a round). The long form is the same code with
/// MAILSINK_CRASH_KILLS and MAILSINK_CRASH_MESSAGES set: bench/crash.sh.
/// </para>
/// </summary>
public sealed partial class CrashTests(ITestOutputHelper output) : IDisposable
{
    private static readonly int Kills = Setting("MAILSINK_CRASH_KILLS", 1);
    private static readonly int MessagesPerRound = Setting("MAILSINK_CRASH_MESSAGES", 100);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mailsink-crash-" + Guid.NewGuid().ToString("N"));
    private const int MaxMessagesWhilePruning = 20;

    private static readonly int Seed = Setting("MAILSINK_CRASH_SEED", Environment.TickCount);

    private readonly Random _random = new(Seed);

    private string Storage
    {
        get
        {
            Directory.CreateDirectory(_folder);
            return Path.Combine(_folder, "mailsink.db");
        }
    }

    [Fact]
    public async Task Every_acknowledged_message_survives_a_kill_during_concurrent_ingest_byte_for_byte_and_once()
    {
        var ledger = new CrashLedger("ingest");
        for (var round = 1; round <= Kills; round++)
        {
            await using var host = await MailSinkHost.StartAsync(Storage);
            Report("ingest", round, await ledger.VerifyAsync(host, mayBePruned: false));
            var killAt = ledger.AckedCount + MessagesPerRound / 3 + _random.Next(MessagesPerRound * 2 / 3);
            await SendUntilKilledAsync(host, ledger, senders: 6, killAfterAcks: killAt, extraDelay: TimeSpan.FromMilliseconds(_random.Next(20)));
        }

        await FinalCheckAsync("ingest", ledger, mayBePruned: false);
    }

    [Fact]
    public async Task Every_acknowledged_message_survives_a_kill_right_after_a_batch_commit()
    {
        // Sixteen senders keep the writer's batches full; the kill lands the moment a batch's 250s go out,
        // while the next batch is being committed.
        var ledger = new CrashLedger("batch");
        for (var round = 1; round <= Kills; round++)
        {
            await using var host = await MailSinkHost.StartAsync(Storage);
            Report("batch", round, await ledger.VerifyAsync(host, mayBePruned: false));
            var killAt = ledger.AckedCount + MessagesPerRound / 2 + _random.Next(MessagesPerRound / 2);
            await SendUntilKilledAsync(host, ledger, senders: 16, killAfterAcks: killAt, extraDelay: TimeSpan.Zero);
        }

        await FinalCheckAsync("batch", ledger, mayBePruned: false);
    }

    [Fact]
    public async Task A_kill_while_retention_prunes_every_second_loses_no_message_it_should_keep_and_corrupts_none()
    {
        var ledger = new CrashLedger("prune");
        var pruning = new[] { "--max-messages", MaxMessagesWhilePruning.ToString(CultureInfo.InvariantCulture), "--Storage:PruneInterval=00:00:01" };
        for (var round = 1; round <= Kills; round++)
        {
            await using var host = await MailSinkHost.StartAsync(Storage, pruning);
            await WaitForRetentionAsync(host);
            Report("prune", round, await ledger.VerifyAsync(host, mayBePruned: true));
            AssertLastAcknowledgedIsStored(ledger, await CrashLedger.ListAllAsync(host));

            // Long enough for several prunes (one a second) while the senders keep it over the limit.
            var killAt = ledger.AckedCount + MessagesPerRound + _random.Next(MessagesPerRound * 2);
            await SendUntilKilledAsync(host, ledger, senders: 6, killAfterAcks: killAt, extraDelay: TimeSpan.FromMilliseconds(_random.Next(1000)), atLeast: TimeSpan.FromSeconds(3));
        }

        var check = await FinalCheckAsync("prune", ledger, mayBePruned: true, pruning);
        Assert.True(check.Pruned > 0, "retention never pruned: the kills did not land among prunes");
    }

    [Fact]
    public async Task A_kill_during_delete_all_leaves_everything_or_nothing()
    {
        var ledger = new CrashLedger("delete-0");
        int completed = 0, rolledBack = 0;
        for (var round = 1; round <= Kills; round++)
        {
            await using var host = await MailSinkHost.StartAsync(Storage);
            var stored = (await CrashLedger.ListAllAsync(host)).Count;
            if (round > 1 && stored == 0)
            {
                completed++;
                ledger = new CrashLedger($"delete-{round}");
            }
            else if (round > 1)
            {
                Assert.True(stored == ledger.AckedCount, $"after a kill during delete-all {stored} of {ledger.AckedCount} messages remain: neither all nor none");
                rolledBack++;
            }

            Report("delete", round, await ledger.VerifyAsync(host, mayBePruned: false));
            await SendAllAsync(host, ledger, senders: 6, count: MessagesPerRound);

            // A delete-all takes longer the more there is: the kill lands anywhere from before it starts to after it ends.
            using var http = new HttpClient { BaseAddress = host.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
            var delete = http.DeleteAsync("api/v1/messages");
            await Task.Delay(_random.Next(100 + ledger.AckedCount / 5));
            await host.DisposeAsync();
            await Task.WhenAny(delete, Task.Delay(TimeSpan.FromSeconds(10)));
        }

        await using (var last = await MailSinkHost.StartAsync(Storage))
        {
            var stored = (await CrashLedger.ListAllAsync(last)).Count;
            Assert.True(stored == 0 || stored == ledger.AckedCount, $"after a kill during delete-all {stored} of {ledger.AckedCount} messages remain: neither all nor none");
            if (stored == 0)
            {
                completed++;
            }
            else
            {
                rolledBack++;
            }
            if (stored > 0)
            {
                await ledger.VerifyAsync(last, mayBePruned: false);
            }

            await AssertStillAcceptsMailAsync(last);
        }

        output.WriteLine($"delete-all killed {Kills} times: {completed} completed before the kill, {rolledBack} rolled back whole");
    }

    private async Task SendAllAsync(MailSinkHost host, CrashLedger ledger, int senders, int count)
    {
        var target = ledger.AckedCount + count;
        await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => SenderAsync(host.SmtpPort, ledger, () => ledger.AckedCount >= target, null, CancellationToken.None)));
        Assert.True(ledger.AckedCount >= target, $"only {ledger.AckedCount} of {target} acknowledged");
    }

    /// <param name="atLeast">The kill comes no sooner than this after sending started (retention runs once a second).</param>
    private async Task SendUntilKilledAsync(MailSinkHost host, CrashLedger ledger, int senders, int killAfterAcks, TimeSpan extraDelay, TimeSpan atLeast = default)
    {
        var stopwatch = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Acked()
        {
            if (ledger.AckedCount >= killAfterAcks)
            {
                reached.TrySetResult();
            }
        }

        // The senders keep going until the kill cuts them off: the kill lands mid-transaction.
        var sending = Enumerable.Range(0, senders).Select(_ => SenderAsync(host.SmtpPort, ledger, () => false, Acked, stop.Token)).ToList();
        await Task.WhenAny(reached.Task, Task.WhenAll(sending), Task.Delay(TimeSpan.FromMinutes(2)));
        Assert.True(reached.Task.IsCompleted, $"only {ledger.AckedCount} of {killAfterAcks} acknowledged before the senders stopped");
        if (atLeast - stopwatch.Elapsed > TimeSpan.Zero)
        {
            await Task.Delay(atLeast - stopwatch.Elapsed);
        }

        if (extraDelay > TimeSpan.Zero)
        {
            await Task.Delay(extraDelay);
        }

        await host.DisposeAsync(); // SIGKILL
        await stop.CancelAsync();
        await Task.WhenAll(sending);
        output.WriteLine($"  killed after {ledger.AckedCount} acknowledged ({ledger.InDoubtCount} in doubt) at {stopwatch.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Sends on one connection until <paramref name="done"/> or the connection dies (the kill); never throws.</summary>
    private static async Task SenderAsync(int port, CrashLedger ledger, Func<bool> done, Action? acked, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new SmtpClient { Timeout = 30_000 };
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync("127.0.0.1", port, cancellationToken);
            await client.ConnectAsync(socket, "127.0.0.1", port, SecureSocketOptions.None, cancellationToken);
            while (!done() && !cancellationToken.IsCancellationRequested)
            {
                var (subject, bytes) = ledger.NewMessage();
                var reply = await client.SendAsync(await MimeMessage.LoadAsync(new MemoryStream(bytes), cancellationToken), cancellationToken);
                var match = QueuedAs().Match(reply);
                if (match.Success)
                {
                    ledger.Acked(subject, match.Groups["id"].Value);
                    acked?.Invoke();
                }
                else
                {
                    ledger.Refused(subject);
                }
            }

            // Still connected when the kill comes is fine; a clean end when sending stopped first.
            await client.DisconnectAsync(quit: !cancellationToken.IsCancellationRequested, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or MailKit.ServiceNotConnectedException
                                       or MailKit.ProtocolException or SmtpProtocolException or SmtpCommandException)
        {
            // The process was killed under this connection: whatever was being sent stays in doubt.
        }
    }

    /// <summary>
    /// Waits for the first prune after a restart: reading back a message that retention deletes meanwhile would
    /// be a 404 that says nothing about the crash. Nothing is sent now, so once at the limit the store stays there.
    /// </summary>
    private static async Task WaitForRetentionAsync(MailSinkHost host)
    {
        var deadline = Stopwatch.StartNew();
        while ((await CrashLedger.ListAllAsync(host)).Count > MaxMessagesWhilePruning)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "retention did not bring the store down to the limit within 60 s of the restart");
            await Task.Delay(200);
        }
    }

    private async Task<CrashCheck> FinalCheckAsync(string name, CrashLedger ledger, bool mayBePruned, params string[] arguments)
    {
        await using var host = await MailSinkHost.StartAsync(Storage, arguments);
        if (mayBePruned)
        {
            await WaitForRetentionAsync(host);
        }

        var check = await ledger.VerifyAsync(host, mayBePruned);
        Report(name, Kills + 1, check);
        if (mayBePruned)
        {
            AssertLastAcknowledgedIsStored(ledger, await CrashLedger.ListAllAsync(host));
        }
        else
        {
            Assert.Equal(check.Acked + check.InDoubtStored, check.Stored);
        }

        await AssertStillAcceptsMailAsync(host);
        return check;
    }

    private static void AssertLastAcknowledgedIsStored(CrashLedger ledger, List<(string Id, string Subject)> stored)
    {
        // Retention keeps the newest 20; at most the other senders' messages can be newer than the last 250.
        if (ledger.LastAcked is { } last)
        {
            Assert.Contains(stored, m => m.Subject == last);
        }
    }

    private static async Task AssertStillAcceptsMailAsync(MailSinkHost host)
    {
        var delivery = await SmtpSender.SendAsync(host.SmtpPort, SmtpSender.Simple("after the crash run"));
        Assert.False(string.IsNullOrEmpty(delivery.MessageId));
    }

    private void Report(string name, int round, CrashCheck check) =>
        output.WriteLine((round == 1 ? $"(MAILSINK_CRASH_SEED={Seed}) " : "") + $"{name} start {round}: {check.Stored} stored, {check.Acked} acknowledged so far ({check.Pruned} pruned), " +
                         $"{check.InDoubtStored} of {check.InDoubt} in doubt were stored; all byte-equal, none twice");

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [GeneratedRegex(@"queued as (?<id>[0-9A-Z]{16})\b")]
    private static partial Regex QueuedAs();
}
