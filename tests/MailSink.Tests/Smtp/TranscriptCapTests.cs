using System.Text;
using System.Text.Json.Nodes;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Smtp;

/// <summary>
/// A session's transcript is capped (Smtp:MaxTranscriptLines, default 5,000): 200,000 pipelined NOOPs
/// once grew the process by 500 MB and made the session too large to save, so it and the transcripts
/// of its messages were lost (issue 13, defect 5). The head and the tail are kept, with one line saying
/// how many were left out, and the session is always saved.
/// </summary>
public sealed class TranscriptCapTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    private const int DefaultMaxLines = 5000;

    [Fact]
    public async Task A_noop_flood_then_a_message_keeps_the_session_with_head_tail_and_an_elision_line()
    {
        const int noops = 200_000;
        var helo = $"flood-{Guid.NewGuid():N}.test";
        string id;
        await using (var client = await RawSmtpClient.ConnectAndEhloAsync(app.SmtpPort, helo))
        {
            var flood = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("NOOP\r\n", noops)));

            // Written while the replies are read, or both sides' socket buffers fill up.
            var sending = client.SendAsync(flood);
            for (var i = 0; i < noops; i++)
            {
                var reply = await client.ReadReplyAsync();
                Assert.True(reply.Code == 250, $"NOOP #{i + 1}: {reply}");
            }

            await sending;
            Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<after-flood@example.test>")).Code);
            Assert.Equal(250, (await client.CommandAsync("RCPT TO:<r@example.test>")).Code);
            Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
            var queued = await client.CommandAsync("Subject: after the flood\r\n\r\nbody\r\n.");
            Assert.True(queued.Code == 250, $"DATA end: {queued}");
            id = SmtpSending.QueuedId(queued.Text);
            Assert.Equal(221, (await client.CommandAsync("QUIT")).Code);
        }

        var message = await app.GetMessageAsync(id);
        var session = await app.WaitForClosedSessionAsync(message["SessionID"]!.GetValue<string>());
        Assert.Equal("quit", session["Outcome"]!.GetValue<string>());
        Assert.Equal([id], session["MessageIDs"]!.AsArray().Select(m => m!.GetValue<string>()));

        var texts = Texts(session["Lines"]!.AsArray());
        Assert.InRange(texts.Count, DefaultMaxLines - 10, DefaultMaxLines);
        Assert.StartsWith("220 ", texts[0], StringComparison.Ordinal);
        Assert.Equal($"EHLO {helo}", texts[1]);
        var elided = Assert.Single(texts, t => t.Contains("transcript lines elided", StringComparison.Ordinal));
        var total = 2 * noops + 20;
        Assert.Matches(@"^\d{3},\d{3} transcript lines elided here", elided);
        Assert.Contains("QUIT", texts[^4..]);
        Assert.True(int.Parse(elided.Split(' ')[0].Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture) > total - DefaultMaxLines - 20);

        // The message's transcript still points at its own transaction among the kept lines.
        var transcript = await app.GetJsonAsync($"/api/v1/message/{id}/transcript");
        var lines = Texts(transcript["Lines"]!.AsArray());
        var first = transcript["TransactionFirstLine"]!.GetValue<int>();
        var last = transcript["TransactionLastLine"]!.GetValue<int>();
        Assert.Equal("MAIL FROM:<after-flood@example.test>", lines[first]);
        Assert.Contains(lines[first..(last + 1)], l => l.StartsWith("DATA content:", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_short_session_is_kept_whole_without_an_elision_line()
    {
        var id = await RawSmtpClient.DeliverAsync(app.SmtpPort, Encoding.ASCII.GetBytes("Subject: short\r\n\r\nbody\r\n"));
        var message = await app.GetMessageAsync(id);
        var session = await app.WaitForClosedSessionAsync(message["SessionID"]!.GetValue<string>());

        Assert.DoesNotContain(Texts(session["Lines"]!.AsArray()), t => t.Contains("elided", StringComparison.Ordinal));
    }

    private static List<string> Texts(JsonArray lines) => lines.Select(l => l!["Text"]!.GetValue<string>()).ToList();
}
