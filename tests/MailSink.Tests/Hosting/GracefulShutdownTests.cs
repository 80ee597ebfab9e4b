using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Hosting;

/// <summary>
/// SIGTERM on the real process (issue 13): MailSink stops accepting, tells clients between commands
/// 421 4.3.2, lets a DATA already under way finish and stores it, exits 0 within 10 s, and every message
/// that was answered 250 is there after a restart.
/// </summary>
public sealed class GracefulShutdownTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mailsink-shutdown-" + Guid.NewGuid().ToString("N"));

    private string Storage => Path.Combine(_folder, "mailsink.db");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        MailSinkApp.DeleteFolder(_folder);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task SIGTERM_answers_421_between_commands_finishes_a_DATA_under_way_and_exits_0_keeping_every_accepted_message()
    {
        string before, duringData;
        await using (var sink = await MailSinkProcess.StartAsync(Storage))
        {
            before = await RawSmtpClient.DeliverAsync(sink.SmtpPort, Message("sent before the stop"));

            // Mid-transaction: recipients accepted, DATA not sent yet.
            await using var afterRcpt = await RawSmtpClient.ConnectAndEhloAsync(sink.SmtpPort);
            Assert.Equal(250, (await afterRcpt.CommandAsync("MAIL FROM:<a@example.test>")).Code);
            Assert.Equal(250, (await afterRcpt.CommandAsync("RCPT TO:<b@example.test>")).Code);

            // Connected and idle.
            await using var idle = await RawSmtpClient.ConnectAndEhloAsync(sink.SmtpPort);

            // In DATA: half the message sent when the signal arrives.
            await using var inData = await RawSmtpClient.ConnectAndEhloAsync(sink.SmtpPort);
            Assert.Equal(250, (await inData.CommandAsync("MAIL FROM:<a@example.test>")).Code);
            Assert.Equal(250, (await inData.CommandAsync("RCPT TO:<b@example.test>")).Code);
            Assert.Equal(354, (await inData.CommandAsync("DATA")).Code);
            await inData.SendAsync(Encoding.ASCII.GetBytes("From: a@example.test\r\nTo: b@example.test\r\nSubject: in DATA at the stop\r\n\r\nfirst half\r\n"));

            var clock = Stopwatch.StartNew();
            sink.Terminate();

            var rcptReply = await afterRcpt.ReadReplyAsync();
            Assert.Equal((421, "4.3.2"), (rcptReply.Code, rcptReply.Text.Split(' ')[0]));
            Assert.True(await afterRcpt.IsClosedByServerAsync(), "The connection stayed open after the 421.");
            var idleReply = await idle.ReadReplyAsync();
            Assert.Equal((421, "4.3.2"), (idleReply.Code, idleReply.Text.Split(' ')[0]));
            Assert.True(await idle.IsClosedByServerAsync(), "The idle connection stayed open after the 421.");

            // No new sessions while draining (the DATA above keeps the process up).
            var refused = await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await using var late = await RawSmtpClient.ConnectAsync(sink.SmtpPort);
                await late.ReadReplyAsync();
            });
            Assert.True(refused is SocketException or IOException, $"A new connection during the stop got: {refused}");

            await inData.SendAsync("second half\r\n.\r\n"u8.ToArray());
            var dataReply = await inData.ReadReplyAsync();
            Assert.True(dataReply.Code == 250, $"The DATA under way was not accepted: {dataReply}");
            duringData = SmtpSending.QueuedId(dataReply.Text);
            var afterData = await inData.ReadReplyAsync();
            Assert.Equal((421, "4.3.2"), (afterData.Code, afterData.Text.Split(' ')[0]));

            var exitCode = await sink.WaitForExitAsync(TimeSpan.FromSeconds(10) - clock.Elapsed);
            Assert.True(exitCode is not null, $"Still running {clock.Elapsed.TotalSeconds:F1} s after SIGTERM:{Environment.NewLine}{sink.Output}");
            Assert.True(exitCode == 0, $"Exit code {exitCode}:{Environment.NewLine}{sink.Output}");
        }

        await using var restarted = await MailSinkProcess.StartAsync(Storage);
        foreach (var (id, subject) in new[] { (before, "sent before the stop"), (duringData, "in DATA at the stop") })
        {
            var message = JsonNode.Parse(await restarted.Http.GetStringAsync($"api/v1/message/{id}"))!;
            Assert.Equal(subject, message["Subject"]!.GetValue<string>());
        }

        var list = JsonNode.Parse(await restarted.Http.GetStringAsync("api/v1/messages"))!;
        Assert.Equal(2, list["total"]!.GetValue<int>());

        // The three sessions open at the signal were saved as ended by the shutdown, not as a client hang-up.
        var sessions = JsonNode.Parse(await restarted.Http.GetStringAsync("api/v1/sessions?limit=100"))!["sessions"]!.AsArray();
        Assert.Equal(3, sessions.Count(s => s!["Outcome"]!.GetValue<string>() == "server-shutdown"));
    }

    private static byte[] Message(string subject) =>
        Encoding.ASCII.GetBytes($"From: a@example.test\r\nTo: b@example.test\r\nSubject: {subject}\r\n\r\nbody\r\n");
}
