using System.Text;
using MailSink.Mime;

namespace MailSink.Tests.Mime;

public class MessageContentReaderTests
{
    private static byte[] WithAttachmentNamed(string dispositionParameter) => Corpus.ToCrlf($"""
        From: a@example.com
        To: b@example.com
        Subject: =?UTF-8?B?w5xiZXJzaWNodA==?=
        Subject: second subject header
        MIME-Version: 1.0
        Content-Type: multipart/alternative; boundary="alt"

        --alt
        Content-Type: text/plain; charset=utf-8

        plain body
        --alt
        Content-Type: multipart/mixed; boundary="mix"

        --mix
        Content-Type: text/html; charset=utf-8

        <p>html body</p>
        --mix
        Content-Type: application/octet-stream
        Content-Disposition: attachment; {dispositionParameter}
        Content-Transfer-Encoding: base64

        aGVsbG8=
        --mix--
        --alt--
        """);

    [Theory]
    [InlineData("filename=\"../../etc/passwd\"", "passwd")]
    [InlineData("filename=\"a\\\\b.txt\"", "b.txt")]
    [InlineData("filename*=UTF-8''evil%0D%0Aname.txt", "evilname.txt")]
    [InlineData("filename*=UTF-8''..%2F..%2F..%2Fwindows%5Csystem32%5Ccmd.exe", "cmd.exe")]
    [InlineData("filename=\"..\"", "part-2.2.bin")]
    [InlineData("filename=\"  \"", "part-2.2.bin")]
    [InlineData("filename*=UTF-8''%22quoted%22%20%3Cname%3E.pdf", "quoted name.pdf")]
    [InlineData("filename=\"CON.txt\"", "_CON.txt")]
    [InlineData("filename*=UTF-8''invoice%E2%80%AEfdp.exe", "invoicefdp.exe")]
    public void Part_file_names_are_sanitised(string parameter, string expected)
    {
        var reader = new MessageContentReader(WithAttachmentNamed(parameter));

        Assert.True(reader.TryGetPart("2.2", out var part));
        Assert.Equal(expected, part.FileName);
        Assert.Equal("hello", Encoding.ASCII.GetString(part.Content));
        Assert.Equal("application/octet-stream", part.ContentType);
    }

    [Fact]
    public void Projector_lists_the_same_sanitised_name_and_part_id()
    {
        var summary = MessageProjector.Project(WithAttachmentNamed("filename=\"../../etc/passwd\""), new MailSink.Domain.Envelope());

        var attachment = Assert.Single(summary.Attachments);
        Assert.Equal("2.2", attachment.PartId);
        Assert.Equal("passwd", attachment.FileName);
        Assert.Equal(5, attachment.Size);
    }

    [Fact]
    public void Bodies_and_headers_are_read_in_order_with_repeats()
    {
        var reader = new MessageContentReader(WithAttachmentNamed("filename=x.bin"));

        Assert.Equal("plain body", reader.Text?.Trim());
        Assert.Equal("<p>html body</p>", reader.Html?.Trim());
        Assert.Equal(["From", "To", "Subject", "Subject", "MIME-Version", "Content-Type"], reader.Headers.Select(h => h.Name));
        Assert.Equal("Übersicht", reader.Headers[2].Value);
        Assert.Equal("=?UTF-8?B?w5xiZXJzaWNodA==?=", reader.Headers[2].RawValue);
        Assert.Equal("second subject header", reader.Headers[3].Value);
        Assert.Equal("multipart/alternative; boundary=\"alt\"", reader.Headers[5].RawValue);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("9")]
    [InlineData("2")]
    [InlineData("1.1")]
    [InlineData("../1")]
    [InlineData("2..2")]
    [InlineData("02.2")]
    public void Unknown_malformed_and_multipart_ids_are_not_found(string partId)
    {
        var reader = new MessageContentReader(WithAttachmentNamed("filename=x.bin"));

        Assert.False(reader.TryGetPart(partId, out var part));
        Assert.Null(part);
    }

    [Fact]
    public void Single_part_body_is_part_1()
    {
        var reader = new MessageContentReader(Corpus.ToCrlf("From: a@example.com\nContent-Type: text/plain\n\nhi\n"));

        Assert.True(reader.TryGetPart("1", out var part));
        Assert.Equal("part-1.txt", part.FileName);
        Assert.Equal("hi\r\n", Encoding.ASCII.GetString(part.Content));
    }

    [Fact]
    public void Empty_input_has_no_headers_and_a_parse_error()
    {
        var reader = new MessageContentReader(ReadOnlyMemory<byte>.Empty);

        Assert.Empty(reader.Headers);
        Assert.Null(reader.Text);
        Assert.Null(reader.Html);
        Assert.NotNull(reader.ParseError);
        Assert.False(reader.TryGetPart("1", out _));
    }
}
