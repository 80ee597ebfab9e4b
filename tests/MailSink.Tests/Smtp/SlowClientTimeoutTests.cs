using System.Diagnostics;
using System.Text;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Smtp;

/// <summary>
/// A client that trickles bytes (issue 13, defect 6: one byte every 10 s held a command or a DATA
/// phase open for an hour): a command line must be complete within Smtp:CommandTimeout of its first
/// byte, DATA content may pause at most Smtp:DataBlockTimeout and must end within Smtp:DataTimeout;
/// past them the client is told 421 4.4.2 and the connection is closed (RFC 5321 section 4.5.3.2).
/// </summary>
public sealed class SlowClientTimeoutTests(ShortTimeoutsApp app) : IClassFixture<ShortTimeoutsApp>
{
    private static readonly TimeSpan Trickle = TimeSpan.FromMilliseconds(250);

    [Fact]
    public async Task A_command_line_trickled_a_byte_at_a_time_gets_421_once_the_command_timeout_passes()
    {
        var helo = $"slow-command-{Guid.NewGuid():N}.test";
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort, helo);

        var clock = Stopwatch.StartNew();
        var (reply, closed) = await TrickleUntilAnsweredAsync(client, "MAIL FROM:<" + new string('s', 200) + "@example.test>\r\n");
        clock.Stop();

        Assert.True(reply is { Code: 421 } && reply.Lines[0].StartsWith("4.4.2", StringComparison.Ordinal), $"expected 421 4.4.2, got {reply}");
        Assert.True(clock.Elapsed >= ShortTimeoutsApp.CommandTimeout - TimeSpan.FromMilliseconds(100), $"closed after {clock.Elapsed}, before the timeout");
        Assert.True(clock.Elapsed < ShortTimeoutsApp.CommandTimeout + TimeSpan.FromSeconds(5), $"closed only after {clock.Elapsed}");
        Assert.True(closed || await client.IsClosedByServerAsync(), "the server must close after 421");

        var session = await app.WaitForListedSessionAsync(s => s["Helo"]?.GetValue<string>() == helo, $"session {helo}");
        Assert.Equal("timeout", session["Outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task Waiting_between_commands_is_the_idle_timeout_not_the_command_timeout()
    {
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort);
        await Task.Delay(ShortTimeoutsApp.CommandTimeout + TimeSpan.FromSeconds(1));
        Assert.Equal(250, (await client.CommandAsync("NOOP")).Code);

        // A line sent in pieces within the timeout is fine.
        await client.SendAsync("NO"u8.ToArray());
        await Task.Delay(ShortTimeoutsApp.CommandTimeout / 3);
        await client.SendAsync("OP\r\n"u8.ToArray());
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
    }

    [Fact]
    public async Task A_client_silent_after_an_auth_challenge_gets_the_idle_timeout()
    {
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort);
        Assert.Equal(334, (await client.CommandAsync("AUTH LOGIN")).Code);

        // SmtpServer read AUTH continuations without any timeout; the exchange is MailSink's now, and each
        // line of it is a command to the library, so waiting for one is bounded like waiting for a command.
        var clock = Stopwatch.StartNew();
        var reply = await client.ReadReplyAsync();
        clock.Stop();

        Assert.True(reply.Code == 421 && reply.Lines[0].StartsWith("4.4.2", StringComparison.Ordinal), $"expected 421 4.4.2, got {reply}");
        Assert.True(clock.Elapsed < ShortTimeoutsApp.IdleTimeout + TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.True(await client.IsClosedByServerAsync(), "the server must close after 421");
    }

    [Fact]
    public async Task Data_trickled_a_byte_at_a_time_gets_421_once_the_data_timeout_passes()
    {
        var helo = $"slow-data-{Guid.NewGuid():N}.test";
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort, helo);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<slow@example.test>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<r@example.test>")).Code);

        // The clock starts before DATA is sent: the server's DATA timeout cannot start earlier than that (started
        // after the 354 was read, a busy test process read the reply late and saw the 421 "too early", 1.72 s).
        var clock = Stopwatch.StartNew();
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);

        // Each byte comes well within the block timeout; only the DATA timeout can end this.
        var (reply, closed) = await TrickleUntilAnsweredAsync(client, "Subject: slow\r\n\r\n" + new string('d', 200) + "\r\n.\r\n");
        clock.Stop();

        Assert.True(reply is { Code: 421 } && reply.Lines[0].StartsWith("4.4.2", StringComparison.Ordinal), $"expected 421 4.4.2, got {reply}");
        Assert.True(clock.Elapsed >= ShortTimeoutsApp.DataTimeout - TimeSpan.FromMilliseconds(100), $"closed after {clock.Elapsed}, before the timeout");
        Assert.True(closed || await client.IsClosedByServerAsync(), "the server must close after 421");

        var session = await app.WaitForListedSessionAsync(s => s["Helo"]?.GetValue<string>() == helo, $"session {helo}");
        Assert.Equal("timeout", session["Outcome"]!.GetValue<string>());
        Assert.Empty(session["MessageIDs"]!.AsArray());
    }

    [Fact]
    public async Task Data_that_stops_coming_gets_421_once_the_block_timeout_passes()
    {
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<silent@example.test>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<r@example.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        await client.SendAsync("Subject: then nothing\r\n"u8.ToArray());

        var clock = Stopwatch.StartNew();
        var reply = await client.ReadReplyAsync();
        clock.Stop();

        Assert.True(reply.Code == 421 && reply.Lines[0].StartsWith("4.4.2", StringComparison.Ordinal), $"expected 421 4.4.2, got {reply}");
        Assert.True(clock.Elapsed < ShortTimeoutsApp.DataTimeout, $"the block timeout should end it first, took {clock.Elapsed}");
        Assert.True(await client.IsClosedByServerAsync(), "the server must close after 421");
    }

    [Fact]
    public async Task A_message_sent_at_an_ordinary_pace_is_unaffected()
    {
        var id = await RawSmtpClient.DeliverAsync(app.SmtpPort, Encoding.ASCII.GetBytes("Subject: brisk\r\n\r\nbody\r\n"));
        Assert.NotNull(await app.GetMessageAsync(id));
    }

    /// <summary>Sends <paramref name="text"/> a byte every <see cref="Trickle"/> until the server replies or closes.</summary>
    private static async Task<(SmtpReply? Reply, bool Closed)> TrickleUntilAnsweredAsync(RawSmtpClient client, string text)
    {
        var deadline = Stopwatch.StartNew();
        foreach (var b in Encoding.ASCII.GetBytes(text))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(20))
            {
                break;
            }

            try
            {
                await client.SendAsync(new[] { b });
            }
            catch (IOException)
            {
                return (await TryReadReplyAsync(client), true);
            }

            if (await client.HasDataAsync(Trickle))
            {
                return (await TryReadReplyAsync(client), false);
            }
        }

        return (await TryReadReplyAsync(client), false);
    }

    private static async Task<SmtpReply?> TryReadReplyAsync(RawSmtpClient client)
    {
        try
        {
            return await client.ReadReplyAsync();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
