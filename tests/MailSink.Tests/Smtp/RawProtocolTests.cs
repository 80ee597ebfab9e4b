using System.Text;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Smtp;

/// <summary>Protocol edges over a raw socket: replies, pipelining, DATA framing, limits.</summary>
public sealed class RawProtocolTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    [Fact]
    public async Task Greeting_names_MailSink_and_the_host_but_not_the_library_version()
    {
        await using var client = await RawSmtpClient.ConnectAsync(app.SmtpPort);
        var greeting = await client.ReadReplyAsync();

        Assert.Equal(220, greeting.Code);
        var text = Assert.Single(greeting.Lines);
        Assert.StartsWith(MailSinkApp.Hostname + " ", text, StringComparison.Ordinal);
        Assert.Contains("MailSink", text, StringComparison.Ordinal);
        var library = typeof(SmtpServer.SmtpServer).Assembly.GetName();
        Assert.DoesNotContain(library.Name!, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(library.Version!.ToString(2), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ehlo_on_the_plain_listener_advertises_the_extensions_but_not_starttls()
    {
        await using var client = await RawSmtpClient.ConnectAsync(app.SmtpPort);
        await client.ReadReplyAsync();
        var ehlo = await client.CommandAsync("EHLO client.test");

        Assert.Equal(250, ehlo.Code);
        Assert.StartsWith(MailSinkApp.Hostname, ehlo.Lines[0], StringComparison.Ordinal);
        var keywords = ehlo.Lines.Skip(1).ToList();
        foreach (var expected in new[] { "PIPELINING", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "SIZE 52428800", "AUTH PLAIN LOGIN CRAM-MD5" })
        {
            Assert.Contains(expected, keywords);
        }

        // Clients that upgrade whenever STARTTLS is offered would reject the self-signed certificate (issue 14).
        Assert.DoesNotContain("STARTTLS", keywords);
    }

    [Fact]
    public async Task Pipelined_mail_rcpt_data_are_answered_in_order()
    {
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort);
        await client.SendAsync("MAIL FROM:<pipe@example.test>\r\nRCPT TO:<one@example.test>\r\nDATA\r\n"u8.ToArray());

        var mail = await client.ReadReplyAsync();
        var rcpt = await client.ReadReplyAsync();
        var data = await client.ReadReplyAsync();
        Assert.Equal((250, "2.1.0"), (mail.Code, mail.Lines[0][..5]));
        Assert.Equal((250, "2.1.5"), (rcpt.Code, rcpt.Lines[0][..5]));
        Assert.Equal(354, data.Code);

        await client.SendAsync("Subject: pipelined\r\n\r\nbody\r\n.\r\n"u8.ToArray());
        var queued = await client.ReadReplyAsync();
        Assert.Equal(250, queued.Code);
        Assert.StartsWith("2.0.0 Ok: queued as ", queued.Lines[0], StringComparison.Ordinal);
    }

    /// <summary>Each step is "command => code enhanced-code"; every reply is checked in order.</summary>
    public static TheoryData<string, string[]> ReplyCases => new()
    {
        { "unknown command", ["FROBNICATE now => 502 5.5.1"] },
        { "RCPT before MAIL", ["RCPT TO:<b@example.test> => 503 5.5.1"] },
        { "DATA before MAIL", ["DATA => 503 5.5.1"] },
        { "declared SIZE over the limit", ["MAIL FROM:<a@example.test> SIZE=52428801 => 552 5.3.4"] },
        { "declared SIZE at the limit", ["MAIL FROM:<a@example.test> SIZE=52428800 => 250 2.1.0", "RCPT TO:<b@example.test> => 250 2.1.5"] },
        { "NOOP and RSET", ["NOOP => 250 2.0.0", "MAIL FROM:<a@example.test> => 250 2.1.0", "RSET => 250 2.0.0", "RCPT TO:<b@example.test> => 503 5.5.1"] },
        { "QUIT", ["QUIT => 221 2.0.0"] },
    };

    [Theory]
    [MemberData(nameof(ReplyCases))]
    public async Task Command_gets_the_expected_reply(string name, string[] steps)
    {
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort);
        foreach (var step in steps)
        {
            var (line, expected) = (step[..step.IndexOf(" => ", StringComparison.Ordinal)], step[(step.IndexOf(" => ", StringComparison.Ordinal) + 4)..]);
            var reply = await client.CommandAsync(line);
            var actual = $"{reply.Code} {reply.Lines[^1].Split(' ')[0]}";
            Assert.True(expected == actual, $"{name}: '{line}' expected {expected}, got {reply}");
        }
    }

    [Fact]
    public async Task Overlong_command_line_gets_500_5_5_2_and_the_connection_is_closed()
    {
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort);
        var junk = new byte[100 * 1024];
        Array.Fill(junk, (byte)'A');
        try
        {
            await client.SendAsync(junk);
        }
        catch (IOException)
        {
            // The server may close while we are still writing; its reply is already in our receive buffer.
        }

        var reply = await client.ReadReplyAsync();
        Assert.Equal(500, reply.Code);
        Assert.StartsWith("5.5.2", reply.Lines[0], StringComparison.Ordinal);
        Assert.True(await client.IsClosedByServerAsync(), "the server must close after an overlong line");
    }

    [Theory]
    [InlineData("BOGUS", 502)]
    [InlineData("RCPT TO:<early@example.test>", 503)]
    public async Task Five_bad_commands_get_421_4_7_0_and_a_close(string badCommand, int code)
    {
        var helo = $"errors-{Guid.NewGuid():N}.test";
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort, helo);
        var replies = new List<SmtpReply>();
        for (var i = 0; i < 5; i++)
        {
            replies.Add(await client.CommandAsync(badCommand));
        }

        Assert.All(replies, r => Assert.Equal(code, r.Code));
        var closing = await client.ReadReplyAsync();
        Assert.Equal(421, closing.Code);
        Assert.StartsWith("4.7.0", closing.Lines[0], StringComparison.Ordinal);
        Assert.True(await client.IsClosedByServerAsync(), "the server must close after 421");

        var session = await app.WaitForListedSessionAsync(s => s["Helo"]?.GetValue<string>() == helo, $"session {helo}");
        Assert.Equal("too-many-errors", session["Outcome"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Empty_data_is_accepted_and_stored_as_an_empty_message(bool pipelined)
    {
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort);
        SmtpReply queued;
        if (pipelined)
        {
            await client.SendAsync("MAIL FROM:<empty@example.test>\r\nRCPT TO:<r@example.test>\r\nDATA\r\n.\r\n"u8.ToArray());
            Assert.Equal(250, (await client.ReadReplyAsync()).Code);
            Assert.Equal(250, (await client.ReadReplyAsync()).Code);
            Assert.Equal(354, (await client.ReadReplyAsync()).Code);
            queued = await client.ReadReplyAsync();
        }
        else
        {
            Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<empty@example.test>")).Code);
            Assert.Equal(250, (await client.CommandAsync("RCPT TO:<r@example.test>")).Code);
            Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
            queued = await client.CommandAsync(".");
        }

        Assert.Equal(250, queued.Code);
        var id = SmtpSending.QueuedId(queued.Text);
        Assert.Equal(221, (await client.CommandAsync("QUIT")).Code);

        var (_, rest) = RawMessage.SplitFirstHeader(await app.GetRawAsync(id));
        Assert.Empty(rest);
        var message = await app.GetMessageAsync(id);
        Assert.Contains(message["Warnings"]!.AsArray(), w => w!.GetValue<string>().Contains("empty", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>What the client writes between 354 and the final ".", and what must be stored after the Received header.</summary>
    public static TheoryData<string, string, string> DataCases => new()
    {
        { "dot-stuffed first and later line", "..first line\r\nmiddle\r\n..later line\r\n", ".first line\r\nmiddle\r\n.later line\r\n" },
        { "dot-stuffed lines in a body", "Subject: dots\r\n\r\n..\r\n...three\r\nend\r\n", "Subject: dots\r\n\r\n.\r\n..three\r\nend\r\n" },
        { "final CRLF kept", "Subject: x\r\n\r\nlast line\r\n", "Subject: x\r\n\r\nlast line\r\n" },
        { "only an empty line", "\r\n", "\r\n" },
        { "starts with an empty line", "\r\nbody\r\n", "\r\nbody\r\n" },
        { "blank last line kept", "Subject: x\r\n\r\nbody\r\n\r\n", "Subject: x\r\n\r\nbody\r\n\r\n" },
        { "8-bit UTF-8 body", "Subject: x\r\n\r\nGr\u00fc\u00dfe \u65e5\u672c\r\n", "Subject: x\r\n\r\nGr\u00fc\u00dfe \u65e5\u672c\r\n" },
    };

    [Theory]
    [MemberData(nameof(DataCases))]
    public async Task Data_is_stored_unstuffed_and_byte_exact(string name, string sent, string stored)
    {
        var id = await SendDataAsync(Encoding.UTF8.GetBytes(sent + ".\r\n"));
        var (_, rest) = RawMessage.SplitFirstHeader(await app.GetRawAsync(id));
        Assert.True(Encoding.UTF8.GetBytes(stored).AsSpan().SequenceEqual(rest), $"{name}: stored '{RawMessage.Visible(rest)}'");
    }

    [Theory]
    [InlineData("bare LF lines", "Subject: lf\r\n\r\nline one\nline two\r\n")]
    [InlineData("LF dot LF smuggling attempt", "Subject: smuggle\r\n\r\nbefore\n.\nMAIL FROM:<evil@example.test>\nRCPT TO:<victim@example.test>\nDATA\nSubject: smuggled\n\nhidden\r\n")]
    [InlineData("CRLF dot LF smuggling attempt", "Subject: smuggle2\r\n\r\nbefore\r\n.\nMAIL FROM:<evil@example.test>\r\nafter\r\n")]
    public async Task Bare_line_feeds_never_end_data_and_are_kept_with_a_warning(string name, string sent)
    {
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<lf@example.test>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<r@example.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        await client.SendAsync(Encoding.UTF8.GetBytes(sent + ".\r\n"));
        var queued = await client.ReadReplyAsync();
        Assert.Equal(250, queued.Code);
        var id = SmtpSending.QueuedId(queued.Text);

        // Had the smuggled lines been taken as commands, their replies would come before QUIT's.
        var quit = await client.CommandAsync("QUIT");
        Assert.True(quit.Code == 221, $"{name}: expected 221 after the single message, got {quit}");

        var (_, rest) = RawMessage.SplitFirstHeader(await app.GetRawAsync(id));
        Assert.True(Encoding.UTF8.GetBytes(sent).AsSpan().SequenceEqual(rest), $"{name}: stored '{RawMessage.Visible(rest)}'");
        var message = await app.GetMessageAsync(id);
        Assert.Contains(message["Warnings"]!.AsArray(), w => w!.GetValue<string>().Contains("bare", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(message["Warnings"]!.AsArray(), w => w!.GetValue<string>().StartsWith("SMTP smuggling indicator", StringComparison.Ordinal));

        var session = await app.WaitForClosedSessionAsync(message["SessionID"]!.GetValue<string>());
        Assert.Equal([id], session["MessageIDs"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    private async Task<string> SendDataAsync(byte[] content)
    {
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<data@example.test>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<r@example.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        await client.SendAsync(content);
        var queued = await client.ReadReplyAsync();
        Assert.True(queued.Code == 250, $"DATA end: {queued}");
        Assert.Equal(221, (await client.CommandAsync("QUIT")).Code);
        return SmtpSending.QueuedId(queued.Text);
    }
}
