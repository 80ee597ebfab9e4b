using System.Diagnostics;
using System.Net;
using MailKit.Net.Smtp;
using MailSink.Tests.TestHost;
using MimeKit;

namespace MailSink.Tests.Storage;

/// <summary>
/// The data folder on a real 8 MB tmpfs, filled to the last page (issue 13, defect 1): MailSink refuses new
/// mail with 451 at once, keeps answering reads, says why on /readyz, and takes mail again by itself as soon
/// as space is freed, without a restart, a duplicate or a lost message.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class DiskFullTests
{
    [TmpfsFact]
    public async Task A_full_disk_refuses_mail_with_451_keeps_reads_working_and_recovers_without_restart_when_space_returns()
    {
        await using var disk = await TmpfsFolder.MountAsync(8);
        await using var app = await MailSinkApp.StartAsync(disk.Path);
        var accepted = new Dictionary<string, byte[]>();
        var refused = new List<string>();

        for (var i = 0; i < 3; i++)
        {
            var (code, id, bytes, _) = await SendAsync(app.SmtpPort, $"before full {i}");
            Assert.Equal(250, code);
            accepted[id!] = bytes;
        }

        await disk.FillAsync();
        Assert.True(disk.FreeBytes() < 64 * 1024, $"the filler left {disk.FreeBytes()} bytes free");

        for (var i = 0; i < 5; i++)
        {
            var subject = $"while full {i}";
            var (code, _, _, reply) = await SendAsync(app.SmtpPort, subject);
            Assert.True(code == 451, $"{subject}: expected 451, got {code} {reply}");
            Assert.StartsWith("4.3.0 ", reply);
            refused.Add(subject);
        }

        // Reads keep working on a full disk.
        var first = accepted.Keys.First();
        var list = await app.GetJsonAsync("/api/v1/messages");
        Assert.Equal(3, list["total"]!.GetValue<int>());
        await app.GetMessageAsync(first);
        Assert.Equal(accepted[first], RawMessage.SplitFirstHeader(await app.GetRawAsync(first)).Content);
        await app.GetJsonAsync("/api/v1/info");

        using (var ready = await app.Http.GetAsync("/readyz"))
        {
            var body = await ready.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("is full", body);
            Assert.Contains("451", body);
        }

        disk.FreeFiller();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var subject = $"after space returned {clock.ElapsedMilliseconds}";
            var (code, id, bytes, reply) = await SendAsync(app.SmtpPort, subject);
            if (code == 250)
            {
                accepted[id!] = bytes;
                break;
            }

            refused.Add(subject);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"still refused {clock.Elapsed} after space was freed: {code} {reply}");
            await Task.Delay(200);
        }

        using (var ready = await app.Http.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        for (var i = 0; i < 3; i++)
        {
            var (code, id, bytes, reply) = await SendAsync(app.SmtpPort, $"after recovery {i}");
            Assert.True(code == 250, $"after recovery {i}: {code} {reply}");
            accepted[id!] = bytes;
        }

        var stored = await app.ListAllMessagesAsync();
        Assert.Equal(accepted.Keys.Order(), stored.Select(m => m["ID"]!.GetValue<string>()).Order());
        foreach (var (id, bytes) in accepted)
        {
            Assert.Equal(bytes, RawMessage.SplitFirstHeader(await app.GetRawAsync(id)).Content);
        }

        Assert.DoesNotContain(stored, m => refused.Contains(m["Subject"]!.GetValue<string>()));
    }

    /// <summary>
    /// A large message keeps its bytes in a file of its own (issue 12): on a full disk it is refused with 451 before
    /// any file is written, and none is left behind; once space returns it is taken and reads back byte for byte.
    /// </summary>
    [TmpfsFact]
    public async Task A_large_message_on_a_full_disk_is_refused_with_451_and_leaves_no_file()
    {
        await using var disk = await TmpfsFolder.MountAsync(16);
        await using var app = await MailSinkApp.StartAsync(disk.Path);
        var files = Path.Combine(disk.Path, "mailsink-raw");

        var (code, before, beforeBytes, reply) = await SendAsync(app.SmtpPort, "large before full", LargeLines);
        Assert.True(code == 250, $"before the disk is full: {code} {reply}");
        Assert.Equal([before + ".eml"], Directory.EnumerateFiles(files).Select(Path.GetFileName));

        await disk.FillAsync();
        (code, _, _, reply) = await SendAsync(app.SmtpPort, "large while full", LargeLines);
        Assert.True(code == 451, $"while full: expected 451, got {code} {reply}");
        Assert.StartsWith("4.3.0 ", reply);
        Assert.Equal([before + ".eml"], Directory.EnumerateFiles(files).Select(Path.GetFileName));

        disk.FreeFiller();
        var clock = Stopwatch.StartNew();
        string? after;
        byte[] afterBytes;
        while (true)
        {
            (code, after, afterBytes, reply) = await SendAsync(app.SmtpPort, "large after space returned", LargeLines);
            if (code == 250)
            {
                break;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"still refused {clock.Elapsed} after space was freed: {code} {reply}");
            await Task.Delay(200);
        }

        Assert.Equal(beforeBytes, RawMessage.SplitFirstHeader(await app.GetRawAsync(before!)).Content);
        Assert.Equal(afterBytes, RawMessage.SplitFirstHeader(await app.GetRawAsync(after!)).Content);
        Assert.Equal(2, (await app.ListAllMessagesAsync()).Count);
    }

    /// <summary>Lines of a ~1.5 MB body: over the size from which a message's raw bytes are a file.</summary>
    private const int LargeLines = 42_000;

    /// <summary>One message on its own connection; the reply code, the queued ID on 250, and the bytes MailKit sent.</summary>
    private static async Task<(int Code, string? Id, byte[] Sent, string Reply)> SendAsync(int port, string subject, int lines = 1100)
    {
        // 40 KB: enough that a few of them would not fit in the bytes the filler leaves.
        var message = SmtpSending.NewMessage(subject, body: string.Concat(Enumerable.Repeat("A line of text to fill the message.\r\n", lines)));
        using var client = await SmtpSending.ConnectAsync(port, MailKit.Security.SecureSocketOptions.None);
        var clock = Stopwatch.StartNew();
        try
        {
            var reply = await client.SendAsync(message);
            return (250, SmtpSending.QueuedId(reply), RawMessage.WireBytes(message), reply);
        }
        catch (SmtpCommandException ex)
        {
            // "At once": a refusal must not wait on a lock or a timeout.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{subject}: the refusal took {clock.Elapsed}");
            return ((int)ex.StatusCode, null, [], ex.Message);
        }
        finally
        {
            await client.DisconnectAsync(quit: true);
        }
    }
}
