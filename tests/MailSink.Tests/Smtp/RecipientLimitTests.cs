using System.Text;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Smtp;

/// <summary>
/// The recipient limit (Smtp:MaxRecipients, default 1,000) under pipelining, over a raw socket:
/// RFC 5321 section 4.5.3.1.10 says the client then sends DATA for the recipients accepted, so the
/// refusals must be exact, in order, and must not count as bad commands.
/// </summary>
public sealed class RecipientLimitTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    private const int Limit = 1000;

    [Theory]
    [InlineData(1_010)]
    [InlineData(10_000)]
    public async Task Pipelined_recipients_over_the_limit_get_452_from_the_next_one_and_data_delivers_to_the_accepted(int recipients)
    {
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort);
        var batch = new StringBuilder("MAIL FROM:<many@example.test>\r\n");
        for (var i = 1; i <= recipients; i++)
        {
            batch.Append("RCPT TO:<r").Append(i).Append("@example.test>\r\n");
        }

        batch.Append("DATA\r\n");

        // Written while the replies are read: 10,000 pipelined RCPTs overflow both socket buffers otherwise.
        var sending = client.SendAsync(Encoding.ASCII.GetBytes(batch.ToString()));
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        for (var i = 1; i <= recipients; i++)
        {
            var reply = await client.ReadReplyAsync();
            var expected = i <= Limit ? "250 2.1.5" : "452 4.5.3";
            Assert.True($"{reply.Code} {reply.Lines[0].Split(' ')[0]}" == expected, $"RCPT #{i}: expected {expected}, got {reply}");
        }

        await sending;
        Assert.Equal(354, (await client.ReadReplyAsync()).Code);
        await client.SendAsync("Subject: many recipients\r\n\r\nbody\r\n.\r\n"u8.ToArray());
        var queued = await client.ReadReplyAsync();
        Assert.True(queued.Code == 250, $"DATA end: {queued}");
        Assert.Equal(221, (await client.CommandAsync("QUIT")).Code);

        var message = await app.GetMessageAsync(SmtpSending.QueuedId(queued.Text));
        var rcptTo = message["Envelope"]!["RcptTo"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
        Assert.Equal(Enumerable.Range(1, Limit).Select(i => $"r{i}@example.test"), rcptTo);
    }

    [Fact]
    public async Task Refused_recipients_do_not_count_towards_the_error_limit()
    {
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<patient@example.test>")).Code);
        for (var i = 1; i <= Limit; i++)
        {
            await client.SendLineAsync($"RCPT TO:<p{i}@example.test>");
        }

        for (var i = 1; i <= Limit; i++)
        {
            Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        }

        // The library closes after five bad commands in a row; ten refusals in a row must not close.
        for (var i = 0; i < 10; i++)
        {
            var reply = await client.CommandAsync($"RCPT TO:<over{i}@example.test>");
            Assert.Equal(452, reply.Code);
            Assert.StartsWith("4.5.3", reply.Lines[0], StringComparison.Ordinal);
        }

        Assert.Equal(250, (await client.CommandAsync("NOOP")).Code);
        Assert.Equal(250, (await client.CommandAsync("RSET")).Code);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<again@example.test>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<fresh@example.test>")).Code);
    }
}
