using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using MailKit.Security;
using MailSink.EndToEnd.Browser.Infrastructure;

namespace MailSink.EndToEnd.Storage;

/// <summary>
/// The real process killed with SIGKILL (Process.Kill) while an SMTP connection is still open, then started again
/// on the same LiteDB file (issue 13, defect 10: 78 of 242 transcripts sampled after ten kills answered 404).
/// </summary>
public sealed partial class KillTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mailsink-kill-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_message_sent_on_a_connection_still_open_at_a_kill_keeps_its_transcript_after_restart()
    {
        Directory.CreateDirectory(_folder);
        var storage = Path.Combine(_folder, "mailsink.db");
        string id;
        string? sessionId;
        using (var client = new SmtpClient { Timeout = 30_000 })
        {
            await using var first = await MailSinkHost.StartAsync(storage);
            await client.ConnectAsync("127.0.0.1", first.SmtpPort, SecureSocketOptions.None);
            var reply = await client.SendAsync(SmtpSender.Simple("sent before kill -9"));
            id = QueuedAs().Match(reply).Groups["id"].Value;
            Assert.False(string.IsNullOrEmpty(id), reply);

            using var live = await first.Http.GetAsync($"api/v1/message/{id}");
            sessionId = JsonDocument.Parse(await live.Content.ReadAsStringAsync()).RootElement.GetProperty("SessionID").GetString();

            // Disposing the host is SIGKILL, with the client still connected: the session never ends normally.
        }

        await using var second = await MailSinkHost.StartAsync(storage);
        using var response = await second.Http.GetAsync($"api/v1/message/{id}/transcript");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"transcript after restart: {(int)response.StatusCode} {body}");

        var lines = JsonDocument.Parse(body).RootElement.GetProperty("Lines").EnumerateArray()
            .Select(l => (Direction: l.GetProperty("Direction").GetString(), Text: l.GetProperty("Text").GetString()!)).ToList();
        Assert.Contains(lines, l => l.Direction == "client" && l.Text == "DATA");
        Assert.Contains(lines, l => l.Direction == "event" && l.Text.StartsWith("DATA content", StringComparison.Ordinal) && l.Text.EndsWith($"message {id}", StringComparison.Ordinal));

        // Not shown as live forever: the restart marks it as cut by the kill.
        // The mark is the first write of the new run; it may land just after readiness.
        JsonElement session;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        do
        {
            await Task.Delay(50);
            using var s = await second.Http.GetAsync($"api/v1/session/{sessionId}");
            Assert.Equal(HttpStatusCode.OK, s.StatusCode);
            session = JsonDocument.Parse(await s.Content.ReadAsStringAsync()).RootElement.Clone();
        }
        while (session.GetProperty("Outcome").GetString() == "open" && DateTime.UtcNow < deadline);

        Assert.Contains("killed or crashed", session.GetProperty("Error").GetString());
    }

    /// <summary>
    /// A large message's raw bytes are a file beside the LiteDB file (issue 12), fsynced before the commit behind the
    /// 250: after SIGKILL right after the 250 it reads back byte for byte, and a file no message references (what a
    /// kill between a file's fsync and its commit leaves) is gone after the restart.
    /// </summary>
    [Fact]
    public async Task A_large_message_acknowledged_before_a_kill_reads_back_byte_for_byte_from_its_file()
    {
        Directory.CreateDirectory(_folder);
        var storage = Path.Combine(_folder, "mailsink.db");
        var attachment = new byte[3 * 1024 * 1024];
        new Random(12).NextBytes(attachment);
        var body = new MimeKit.BodyBuilder { TextBody = "A large attachment follows.\r\n" };
        body.Attachments.Add("large.bin", attachment, new MimeKit.ContentType("application", "octet-stream"));
        var message = SmtpSender.Simple("a large message before kill -9");
        message.Body = body.ToMessageBody();

        string id;
        await using (var first = await MailSinkHost.StartAsync(storage))
        {
            using var client = new SmtpClient { Timeout = 60_000 };
            await client.ConnectAsync("127.0.0.1", first.SmtpPort, SecureSocketOptions.None);
            var reply = await client.SendAsync(message);
            id = QueuedAs().Match(reply).Groups["id"].Value;
            Assert.False(string.IsNullOrEmpty(id), reply);

            // Disposing the host is SIGKILL, at once after the 250.
        }

        var files = Path.Combine(_folder, "mailsink-raw");
        Assert.True(File.Exists(Path.Combine(files, id + ".eml")), $"no file for {id} in {files}");
        var orphan = Path.Combine(files, "0000000000000000.eml");
        await File.WriteAllBytesAsync(orphan, attachment.AsMemory(0, 1000).ToArray());

        await using var second = await MailSinkHost.StartAsync(storage);
        var raw = await second.Http.GetByteArrayAsync($"api/v1/message/{id}/raw");
        using var sent = new MemoryStream();
        var options = MimeKit.FormatOptions.Default.Clone();
        options.NewLineFormat = MimeKit.NewLineFormat.Dos;
        await message.WriteToAsync(options, sent);
        Assert.True(raw.AsSpan().EndsWith(sent.ToArray()), $"raw after restart ({raw.Length} bytes) does not end with the {sent.Length} bytes sent");
        Assert.False(File.Exists(orphan), "a file no message references survived the restart");
    }

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
