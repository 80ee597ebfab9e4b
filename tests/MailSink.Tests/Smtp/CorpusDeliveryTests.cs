using System.Net;
using MailSink.Tests.Mime;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Smtp;

/// <summary>Every corpus message survives the whole path: SMTP in, byte-exact storage, list and view out.</summary>
public sealed class CorpusDeliveryTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    [Theory]
    [MemberData(nameof(Corpus.MessageFileData), MemberType = typeof(Corpus))]
    public async Task Corpus_message_is_accepted_stored_byte_exact_listed_and_viewable(string file)
    {
        // SMTP carries CRLF lines and content ends with CRLF: that is what a client sends for this file.
        var content = Corpus.ReadAsCrlf(file);
        if (content.Length > 0 && !content.AsSpan().EndsWith("\r\n"u8))
        {
            content = [.. content, (byte)'\r', (byte)'\n'];
        }

        var id = await RawSmtpClient.DeliverAsync(app.SmtpPort, content);

        var (_, stored) = RawMessage.SplitFirstHeader(await app.GetRawAsync(id));
        Assert.True(content.AsSpan().SequenceEqual(stored), $"{file}: stored bytes differ (sent {content.Length}, stored {stored.Length})");

        var search = await app.GetJsonAsync("/api/v1/messages?limit=1000");
        Assert.Contains(search["messages"]!.AsArray(), m => m!["ID"]!.GetValue<string>() == id);

        var message = await app.GetMessageAsync(id);
        Assert.Equal(id, message["ID"]!.GetValue<string>());
        foreach (var path in new[] { "headers", "headers?ordered=true", "received", "transcript" })
        {
            using var response = await app.Http.GetAsync($"/api/v1/message/{id}/{path}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{file}: /{path} answered {(int)response.StatusCode}");
        }

        foreach (var part in message["Attachments"]!.AsArray().Concat(message["Inline"]!.AsArray()))
        {
            using var response = await app.Http.GetAsync($"/api/v1/message/{id}/part/{part!["PartID"]!.GetValue<string>()}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{file}: part {part["PartID"]} answered {(int)response.StatusCode}");
        }
    }
}
