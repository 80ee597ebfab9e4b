using MailKit.Security;
using MailSink.Options;
using MailSink.Tests.TestHost;
using MimeKit;

namespace MailSink.Tests.Smtp;

/// <summary>
/// A 25 MB message with attachments (issue 12) is accepted over SMTP under the default size limit, stored, and
/// viewable: its JSON lists the attachments, the raw source holds every byte, and each attachment downloads byte for
/// byte. Memory during it is measured by bench/memory.sh, not here (RSS is not a stable assertion in a shared run).
/// </summary>
public sealed class LargeMessageTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    private const int WireBytes = 25 * 1024 * 1024;

    [Fact]
    public void The_default_size_limit_admits_a_25_MB_message()
    {
        Assert.True(new SmtpOptions().MaxMessageSize >= WireBytes, $"Smtp:MaxMessageSize defaults to {new SmtpOptions().MaxMessageSize}");
    }

    [Fact]
    public async Task A_25_MB_message_with_attachments_is_accepted_stored_and_viewable()
    {
        // Random bytes, base64 on the wire (4/3 plus line breaks): three attachments make ~25 MB.
        var attachments = Enumerable.Range(0, 3).Select(i => (Name: $"part-{i}.bin", Data: Random(WireBytes * 74 / 100 / 3, i))).ToList();
        var body = new BodyBuilder { TextBody = "Three attachments follow.\r\n" };
        foreach (var (name, data) in attachments)
        {
            body.Attachments.Add(name, data, new ContentType("application", "octet-stream"));
        }

        var message = SmtpSending.NewMessage("a 25 MB message");
        message.Body = body.ToMessageBody();
        var size = MeasureWire(message);
        Assert.InRange(size, WireBytes * 95L / 100, WireBytes * 105L / 100);

        var id = await SmtpSending.SendOneAsync(app.SmtpPort, message, SecureSocketOptions.None);

        var stored = await app.GetMessageAsync(id);
        Assert.Equal("a 25 MB message", stored["Subject"]!.GetValue<string>());
        var listed = stored["Attachments"]!.AsArray();
        Assert.Equal(attachments.Select(a => a.Name), listed.Select(a => a!["FileName"]!.GetValue<string>()));

        var raw = await app.GetRawAsync(id);
        Assert.True(raw.Length >= size, $"raw is {raw.Length} bytes, {size} were sent");
        using (var parsed = await MimeMessage.LoadAsync(new MemoryStream(raw)))
        {
            Assert.Equal(attachments.Select(a => a.Data), parsed.Attachments.OfType<MimePart>().Select(Decoded));
        }

        foreach (var (attachment, item) in attachments.Zip(listed))
        {
            using var response = await app.Http.GetAsync($"/api/v1/message/{id}/part/{item!["PartID"]!.GetValue<string>()}");
            Assert.True(response.IsSuccessStatusCode, $"{attachment.Name}: {(int)response.StatusCode}");
            Assert.Equal(attachment.Data, await response.Content.ReadAsByteArrayAsync());
        }
    }

    private static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static long MeasureWire(MimeMessage message)
    {
        using var counter = new MimeKit.IO.MeasuringStream();
        message.WriteTo(counter);
        return counter.Length;
    }

    private static byte[] Decoded(MimePart part)
    {
        using var output = new MemoryStream();
        part.Content!.DecodeTo(output);
        return output.ToArray();
    }
}
