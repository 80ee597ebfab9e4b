using System.Text;
using MailSink.Api.Compat;
using MailSink.Domain;

namespace MailSink.Tests.Api.Compat;

public sealed class MailHogMessageMapperTests
{
    private static readonly MessageSummary Summary = new()
    {
        Id = "06H25T29GW39N6CY",
        ReceivedAt = new DateTimeOffset(2026, 11, 28, 16, 0, 0, TimeSpan.Zero),
        Envelope = new Envelope { MailFrom = "alice@example.com", RcptTo = ["bob@example.com", "carol@example.org"], Helo = "client.example" },
    };

    [Fact]
    public void Plain_message_has_headers_as_sent_the_raw_body_and_no_mime()
    {
        var raw = Encoding.ASCII.GetBytes("Subject: =?utf-8?q?caf=C3=A9?=\r\nX-Long: one\r\n two\r\nX-Long: again\r\n\r\nBody =3D raw\r\n");

        var message = MailHogMessageMapper.Map(Summary, raw);

        Assert.Equal(["=?utf-8?q?caf=C3=A9?="], message.Content.Headers["Subject"]);
        Assert.Equal(["one two", "again"], message.Content.Headers["X-Long"]);
        Assert.Equal("Body =3D raw\r\n", message.Content.Body);
        Assert.Null(message.MIME);
        Assert.Equal(new MailHogPath(null, "alice", "example.com", ""), message.From);
        Assert.Equal(["bob", "carol"], message.To.Select(t => t.Mailbox));
        Assert.Equal("client.example", message.Raw.Helo);
        Assert.Equal(Encoding.ASCII.GetString(raw), message.Raw.Data);
    }

    [Fact]
    public void Multipart_message_lists_its_parts_with_their_own_headers_and_bodies()
    {
        var raw = Encoding.ASCII.GetBytes(
            "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\npreamble\r\n--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n" +
            "--b1\r\nContent-Type: multipart/alternative; boundary=b2\r\n\r\n--b2\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\r\n--b2--\r\n--b1--\r\nepilogue\r\n");

        var message = MailHogMessageMapper.Map(Summary, raw);

        Assert.NotNull(message.MIME);
        Assert.Equal(2, message.MIME.Parts.Count);
        Assert.Equal(["text/plain"], message.MIME.Parts[0].Headers["Content-Type"]);
        Assert.Equal("hello", message.MIME.Parts[0].Body);
        var nested = Assert.IsType<MailHogMime>(message.MIME.Parts[1].MIME);
        Assert.Equal("<p>hi</p>", Assert.Single(nested.Parts).Body);
    }
}
