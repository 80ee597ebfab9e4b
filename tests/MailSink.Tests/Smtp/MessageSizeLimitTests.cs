using System.Text;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Smtp;

/// <summary>
/// The size limit holds while streaming: an 80 MB DATA against a 1 MiB limit is refused with 552 and
/// the server never holds the payload (Mailpit's unbounded-DATA memory DoS advisory). 80 MB is past
/// the discard limit (ten times the size limit), so MailSink closes instead of reading to the end;
/// under it the connection stays open (OversizeMessageTests).
/// Runs alone: the heap is measured for the whole test process.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class MessageSizeLimitTests(SmallMessageLimitApp app) : IClassFixture<SmallMessageLimitApp>
{
    private const int PayloadBytes = 80 * 1024 * 1024;

    [Fact]
    public async Task Ehlo_advertises_the_configured_size()
    {
        await using var client = await RawSmtpClient.ConnectAsync(app.SmtpPort);
        await client.ReadReplyAsync();
        var ehlo = await client.CommandAsync("EHLO client.test");
        Assert.Contains($"SIZE {SmallMessageLimitApp.MaxMessageSize}", ehlo.Lines);
    }

    [Fact]
    public async Task Declared_size_over_the_limit_is_refused_at_mail()
    {
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort);
        var reply = await client.CommandAsync($"MAIL FROM:<big@example.test> SIZE={SmallMessageLimitApp.MaxMessageSize + 1}");
        Assert.Equal(552, reply.Code);
        Assert.StartsWith("5.3.4", reply.Lines[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Oversize_data_gets_552_and_memory_stays_bounded(bool withLineBreaks)
    {
        await using var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<big@example.test>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<r@example.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);

        // Ordinary 1,000-byte lines, or one endless line without CRLF: the limit must hold for both.
        var line = Encoding.ASCII.GetBytes(new string('x', 998) + (withLineBreaks ? "\r\n" : "xx"));
        var chunk = new byte[line.Length * 1024];
        for (var i = 0; i < 1024; i++)
        {
            line.CopyTo(chunk, i * line.Length);
        }

        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long worstGrowth = 0;
        long sent = 0;
        var closedEarly = false;
        while (sent < PayloadBytes)
        {
            try
            {
                await client.SendAsync(chunk);
            }
            catch (IOException)
            {
                // The server may stop reading and close once it has refused the message.
                closedEarly = true;
                break;
            }

            sent += chunk.Length;
            if (sent % (16 * chunk.Length) == 0)
            {
                // Live heap after a full collection: a server buffering the payload would hold all of it here.
                worstGrowth = Math.Max(worstGrowth, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        }

        if (!closedEarly)
        {
            try
            {
                await client.SendAsync("\r\n.\r\n"u8.ToArray());
            }
            catch (IOException)
            {
                closedEarly = true;
            }
        }

        var reply = await client.ReadReplyAsync();
        worstGrowth = Math.Max(worstGrowth, GC.GetTotalMemory(forceFullCollection: true) - baseline);

        Assert.Equal(552, reply.Code);
        Assert.StartsWith("5.3.4", reply.Lines[0], StringComparison.Ordinal);

        // Past the discard limit MailSink stops reading (it does not drain 80 MB to reply at the dot).
        Assert.True(closedEarly || await client.IsClosedByServerAsync(), "the connection should be closed after the oversize refusal");
        Assert.True(worstGrowth < 4 * 1024 * 1024, $"managed heap grew by {worstGrowth / (1024 * 1024)} MB while streaming {sent / (1024 * 1024)} MB (closed early: {closedEarly})");
    }
}
