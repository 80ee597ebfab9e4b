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
        await SendAndViewAsync(app);
    }

    [Fact]
    public async Task A_large_message_is_kept_in_a_file_of_its_own_that_goes_with_the_message()
    {
        var id = await SendAndViewAsync(app);
        var file = Path.Combine(app.DataDirectory, "mailsink-raw", id + ".eml");
        Assert.True(File.Exists(file), $"no file {file}");
        Assert.Equal(await app.GetRawAsync(id), await File.ReadAllBytesAsync(file));

        using var response = await app.Http.DeleteAsync($"/api/v1/message/{id}");
        Assert.True(response.IsSuccessStatusCode, $"DELETE: {(int)response.StatusCode}");
        Assert.False(File.Exists(file), "the message's file outlived it");
    }

    /// <summary>
    /// Sends a ~25 MB message with three attachments with MailKit and checks every view of it: the JSON (its
    /// attachments and their checksums), the raw source (the bytes MailKit sent, behind MailSink's Received header)
    /// and each attachment, byte for byte. Returns the message's id.
    /// </summary>
    internal static async Task<string> SendAndViewAsync(MailSinkApp app)
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
        Assert.Equal(
            attachments.Select(a => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(a.Data))),
            listed.Select(a => a!["Checksums"]!["SHA256"]!.GetValue<string>()));

        // What MailKit put on the wire, after the Received header MailSink prepends.
        var raw = await app.GetRawAsync(id);
        var sent = RawMessage.WireBytes(message);
        Assert.True(raw.AsSpan().EndsWith(sent), $"raw ({raw.Length} bytes) does not end with the {sent.Length} bytes sent");
        Assert.StartsWith("Received: ", System.Text.Encoding.ASCII.GetString(raw, 0, 10));
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

        return id;
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

/// <summary>The same message in the memory store (<c>--storage memory</c>), which keeps a large message's array as it came.</summary>
public sealed class LargeMessageMemoryStoreTests(LargeMessageMemoryStoreTests.App app) : IClassFixture<LargeMessageMemoryStoreTests.App>
{
    [Fact]
    public async Task A_25_MB_message_with_attachments_is_accepted_stored_and_viewable_in_memory()
    {
        var id = await LargeMessageTests.SendAndViewAsync(app);
        Assert.False(Directory.Exists(Path.Combine(app.DataDirectory, "mailsink-raw")), "the memory store wrote a file");
        using (var deleted = await app.Http.DeleteAsync($"/api/v1/message/{id}"))
        {
            Assert.True(deleted.IsSuccessStatusCode, $"DELETE: {(int)deleted.StatusCode}");
        }

        using var gone = await app.Http.GetAsync($"/api/v1/message/{id}/raw");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }

    public sealed class App() : MailSinkApp(dataDirectory: null, memory: true);
}
