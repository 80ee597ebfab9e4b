using System.Diagnostics;
using System.Globalization;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MailSink.Tests.TestHost;
using MimeKit;

namespace MailSink.Tests.Smtp;

/// <summary>
/// Messages at and over the size limit, as clients see them (issue 13, defects 2 and 3): a message
/// over the limit is read to the end of DATA, answered 552 5.3.4 there and the connection stays
/// usable, as Postfix does; only past the discard limit does MailSink close (552 first).
/// </summary>
public sealed class OversizeMessageTests(HundredKilobyteLimitApp app) : IClassFixture<HundredKilobyteLimitApp>
{
    private const int Limit = HundredKilobyteLimitApp.MaxMessageSize;
    private const string TooBig = "552 5.3.4 Message size exceeds fixed maximum message size";

    /// <summary>Content bytes (the message as the client means it, final CRLF included) and the reply they get.</summary>
    [Theory]
    [InlineData(Limit - 2, 250)]
    [InlineData(Limit, 250)]
    [InlineData(Limit + 1, 552)]
    [InlineData(Limit + 2, 552)]
    [InlineData(Limit + 3, 552)]
    [InlineData(Limit + 5, 552)]
    [InlineData(Limit + 2_000, 552)]
    [InlineData(3 * Limit, 552)]
    public async Task A_message_around_the_limit_is_answered_at_once_and_the_connection_stays_usable(int contentBytes, int expected)
    {
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<edge@example.test>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<r@example.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);

        var clock = Stopwatch.StartNew();
        await client.SendAsync(Content(contentBytes));
        await client.SendAsync(".\r\n"u8.ToArray());
        var reply = await client.ReadReplyAsync();
        clock.Stop();

        Assert.True(reply.Code == expected, $"{contentBytes} content bytes: expected {expected}, got {reply}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{contentBytes} content bytes: the reply took {clock.Elapsed}");
        if (expected == 552)
        {
            Assert.Equal(TooBig, $"{reply.Code} {reply.Lines[0]}");
        }
        else
        {
            var raw = await app.GetRawAsync(SmtpSending.QueuedId(reply.Text));
            Assert.Equal(contentBytes, RawMessage.SplitFirstHeader(raw).Content.Length);
        }

        // The same connection takes the next message (RFC 5321 section 4.5.3.1.10: the transaction failed, not the session).
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<next@example.test>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<r@example.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        var next = await client.CommandAsync("Subject: next\r\n\r\nsmall\r\n.");
        Assert.True(next.Code == 250, $"next message: {next}");
        Assert.Equal(221, (await client.CommandAsync("QUIT")).Code);
    }

    [ToolFact("python3")]
    public async Task Python_smtplib_writing_far_over_the_limit_reads_552_and_sends_the_next_message()
    {
        var python = ExternalTool.Require("python3");

        // smtplib.data() writes the whole message before it reads the reply (FIELD-NOTES); no SIZE is
        // declared, as with sendmail() against a server that does not advertise it.
        const string script = """
            import smtplib, sys
            port, size = int(sys.argv[1]), int(sys.argv[2])
            s = smtplib.SMTP("127.0.0.1", port, local_hostname="py.oversize.test", timeout=30)
            s.ehlo()
            line = b"x" * 998 + b"\r\n"
            body = b"Subject: big\r\n\r\n" + line * (size // len(line))
            s.mail("big@example.test")
            s.rcpt("r@example.test")
            try:
                code, reply = s.data(body)
            except smtplib.SMTPDataError as e:
                code, reply = e.smtp_code, e.smtp_error
            print("big", code, reply.decode())
            s.mail("small@example.test")
            s.rcpt("r@example.test")
            code, reply = s.data(b"Subject: small\r\n\r\nsmall\r\n")
            print("small", code, reply.decode())
            s.quit()
            """;
        var (exitCode, output) = await ExternalTool.RunAsync(python,
            ["-c", script, app.SmtpPort.ToString(CultureInfo.InvariantCulture), (15 * Limit).ToString(CultureInfo.InvariantCulture)]);

        Assert.True(exitCode == 0, $"python3 exited {exitCode}:\n{output}");
        Assert.Contains("big " + TooBig, output, StringComparison.Ordinal);
        Assert.Contains("small 250 2.0.0 Ok: queued as ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MailKit_writing_far_over_the_limit_gets_552_and_sends_the_next_message_on_the_same_connection()
    {
        using var client = new UndeclaredSizeSmtpClient { Timeout = 30_000 };
        await client.ConnectAsync("127.0.0.1", app.SmtpPort, SecureSocketOptions.None);

        var big = SmtpSending.NewMessage("big", from: "big@example.test", to: "r@example.test");
        big.Body = new TextPart("plain") { Text = string.Concat(Enumerable.Repeat(new string('y', 998) + "\r\n", 15 * Limit / 1000)) };
        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(big));
        Assert.Equal((SmtpStatusCode.ExceededStorageAllocation, "5.3.4 Message size exceeds fixed maximum message size"), (refused.StatusCode, refused.Message));

        var reply = await client.SendAsync(SmtpSending.NewMessage("small", from: "small@example.test", to: "r@example.test"));
        Assert.StartsWith("2.0.0 Ok: queued as ", reply, StringComparison.Ordinal);
        await client.DisconnectAsync(quit: true);
    }

    [Fact]
    public async Task Past_the_discard_limit_the_client_gets_552_and_a_close_counted_as_rejected_and_recorded_as_message_too_big()
    {
        var helo = $"flood-{Guid.NewGuid():N}.test";
        var rejectedBefore = await RejectedAsync();
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort, helo);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<flood@example.test>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<r@example.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);

        var chunk = Content(64 * 1024);
        try
        {
            for (long sent = 0; sent < 2L * HundredKilobyteLimitApp.OversizeDiscardLimit; sent += chunk.Length)
            {
                await client.SendAsync(chunk);
            }
        }
        catch (IOException)
        {
            // The server closed while we were still writing; its reply is already in our receive buffer.
        }

        var reply = await client.ReadReplyAsync();
        Assert.Equal(TooBig + ", closing connection", $"{reply.Code} {reply.Lines[0]}");
        Assert.True(await client.IsClosedByServerAsync(), "the server must close past the discard limit");

        var session = await app.WaitForListedSessionAsync(s => s["Helo"]?.GetValue<string>() == helo, $"session {helo}");
        Assert.Equal("message-too-big", session["Outcome"]!.GetValue<string>());
        Assert.True(await RejectedAsync() > rejectedBefore, "SMTPRejected must count the refused message");
    }

    [Fact]
    public async Task A_refused_message_counts_in_SMTPRejected_and_the_session_still_ends_as_the_client_ends_it()
    {
        var helo = $"refused-{Guid.NewGuid():N}.test";
        var rejectedBefore = await RejectedAsync();
        await using (var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort, helo))
        {
            Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<big@example.test>")).Code);
            Assert.Equal(250, (await client.CommandAsync("RCPT TO:<r@example.test>")).Code);
            Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
            await client.SendAsync(Content(2 * Limit));
            Assert.Equal(552, (await client.CommandAsync(".")).Code);
            Assert.Equal(221, (await client.CommandAsync("QUIT")).Code);
        }

        Assert.Equal(rejectedBefore + 1, await RejectedAsync());
        var session = await app.WaitForListedSessionAsync(s => s["Helo"]?.GetValue<string>() == helo, $"session {helo}");
        Assert.Equal("quit", session["Outcome"]!.GetValue<string>());
    }

    /// <summary>Exactly <paramref name="bytes"/> bytes of CRLF lines (a header, 100-byte lines, a last shorter line).</summary>
    private static byte[] Content(int bytes)
    {
        var content = new StringBuilder("Subject: size\r\n\r\n", bytes);
        while (content.Length + 102 <= bytes)
        {
            content.Append('x', 100).Append("\r\n");
        }

        var rest = bytes - content.Length;
        if (rest >= 2)
        {
            content.Append('z', rest - 2).Append("\r\n");
        }
        else if (rest == 1)
        {
            // One byte short of a line: make the previous line one byte longer instead.
            content.Insert(content.Length - 2, 'w');
        }

        Assert.Equal(bytes, content.Length);
        return Encoding.ASCII.GetBytes(content.ToString());
    }

    private async Task<long> RejectedAsync() => (await app.GetJsonAsync("/api/v1/info"))["RuntimeStats"]!["SMTPRejected"]!.GetValue<long>();

    /// <summary>A MailKit client that does not declare SIZE at MAIL, so the server only learns the size from DATA.</summary>
    private sealed class UndeclaredSizeSmtpClient : SmtpClient
    {
        protected override Task<long> GetSizeAsync(FormatOptions options, MimeMessage message, CancellationToken cancellationToken) => Task.FromResult(-1L);

        protected override long GetSize(FormatOptions options, MimeMessage message, CancellationToken cancellationToken) => -1;
    }
}
