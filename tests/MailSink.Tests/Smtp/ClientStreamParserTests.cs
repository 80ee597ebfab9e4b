using System.Text;
using MailSink.Smtp;

namespace MailSink.Tests.Smtp;

public sealed class ClientStreamParserTests
{
    private static List<ClientItem> Feed(ClientStreamParser parser, params string[] chunks)
    {
        var items = new List<ClientItem>();
        Drain();
        foreach (var chunk in chunks)
        {
            parser.Append(Encoding.UTF8.GetBytes(chunk));
            Drain();
        }

        return items;

        void Drain()
        {
            while (parser.TryRead(out var item))
            {
                items.Add(item);
            }
        }
    }

    [Fact]
    public void Command_lines_split_on_crlf_across_chunks()
    {
        var parser = new ClientStreamParser(1024);

        var items = Feed(parser, "EHLO cli", "ent\r\nMAIL FROM:<a@x>\r", "\nRCPT TO:<b@x>\r\n");

        Assert.Equal(["EHLO client", "MAIL FROM:<a@x>", "RCPT TO:<b@x>"], items.Select(i => i.Text));
    }

    [Fact]
    public void Bytes_after_DATA_wait_for_the_reply_and_become_content_on_354()
    {
        var parser = new ClientStreamParser(1024);

        var before = Feed(parser, "DATA\r\nSubject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n");
        Assert.Equal(["DATA"], before.Select(i => i.Text));
        Assert.True(parser.IsAwaitingDataReply);

        parser.DataReply(accepted: true);
        var after = Feed(parser);

        Assert.Equal(ClientItemKind.DataComplete, after[0].Kind);
        Assert.Equal("Subject: x\r\n\r\nbody\r\n".Length, after[0].Bytes);
        Assert.Equal("QUIT", after[1].Text);
    }

    [Fact]
    public void Bytes_after_a_refused_DATA_are_commands()
    {
        var parser = new ClientStreamParser(1024);
        Feed(parser, "DATA\r\nNOOP\r\n");

        parser.DataReply(accepted: false);

        Assert.Equal(["NOOP"], Feed(parser).Select(i => i.Text));
    }

    [Theory]
    [InlineData("body\n.\nMAIL FROM:<evil@x>\r\n.\r\n", true)]
    [InlineData("body\r.\rmore\r\n.\r\n", true)]
    [InlineData("body\r\n.\nmore\r\n.\r\n", true)]
    [InlineData("clean\r\n..stuffed\r\n.\r\n", false)]
    public void Only_crlf_dot_crlf_ends_data_and_bare_line_endings_are_flagged(string content, bool bare)
    {
        var parser = new ClientStreamParser(1024);
        Feed(parser, "DATA\r\n");
        parser.DataReply(accepted: true);

        var items = Feed(parser, content, "QUIT\r\n");

        var data = Assert.Single(items, i => i.Kind == ClientItemKind.DataComplete);
        Assert.Equal(content.Length - 3, data.Bytes);
        Assert.Equal(bare, data.BareLineEndings);
        Assert.Equal("QUIT", items[^1].Text);
    }

    [Fact]
    public void Empty_data_ends_at_a_dot_on_the_first_line_and_the_library_is_shown_the_end_it_recognises()
    {
        var parser = new ClientStreamParser(1024);
        Feed(parser, "DATA\r\n");
        parser.DataReply(accepted: true);

        var items = Feed(parser, ".\r\n");

        Assert.Equal(0, Assert.Single(items).Bytes);

        // SmtpServer 11.1.0 only finds CRLF "." CRLF after content (FIELD-NOTES).
        Assert.Equal("\r\n.\r\n", LibraryInput(parser));
    }

    [Theory]
    [InlineData("..stuffed\r\nbody\r\n")]
    [InlineData("a\r\n.\r.x\r\n")]
    [InlineData(".x\r\n.\rb\r\n")]
    [InlineData("\r\n")]
    public void Content_within_the_limit_reaches_the_library_byte_for_byte_in_any_chunking(string content)
    {
        var sent = content + ".\r\n";
        foreach (var split in Enumerable.Range(0, sent.Length + 1))
        {
            var parser = new ClientStreamParser(1024, maxMessageSize: 1000);
            Feed(parser, "DATA\r\n");
            parser.DataReply(accepted: true);
            var items = Feed(parser, sent[..split], sent[split..]);

            Assert.Equal(content.Length, Assert.Single(items).Bytes);
            Assert.Equal(sent, LibraryInput(parser));
        }
    }

    [Fact]
    public void Content_past_the_size_limit_is_counted_not_passed_on_and_the_library_gets_one_end()
    {
        var parser = new ClientStreamParser(1024, maxMessageSize: 20, discardLimit: 1000);
        Feed(parser, "DATA\r\n");
        parser.DataReply(accepted: true);

        var content = "0123456789\r\n0123456789\r\n0123456789\r\n";
        var items = Feed(parser, content, "\r\n.\r\n", "NOOP\r\n");

        var data = items[0];
        Assert.Equal((ClientItemKind.DataComplete, content.Length + 2L, true), (data.Kind, data.Bytes, data.Oversize));
        Assert.Equal("NOOP", items[1].Text);
        var shown = LibraryInput(parser);
        Assert.True(shown.Length <= 20 + "x\r\n.\r\n".Length, shown);
        Assert.EndsWith("x\r\n.\r\n", shown, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(shown, "\r\n.\r\n"));
    }

    [Fact]
    public void An_oversize_data_past_the_discard_limit_is_abandoned()
    {
        var parser = new ClientStreamParser(1024, maxMessageSize: 20, discardLimit: 100);
        Feed(parser, "DATA\r\n");
        parser.DataReply(accepted: true);

        var items = Feed(parser, new string('x', 60), new string('x', 60), "\r\n.\r\nNOOP\r\n");

        Assert.Equal(ClientItemKind.DataAbandoned, Assert.Single(items).Kind);
    }

    private static string LibraryInput(ClientStreamParser parser)
    {
        var buffer = new byte[64 * 1024];
        return Encoding.UTF8.GetString(buffer, 0, parser.Output.Take(buffer));
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    [Fact]
    public void A_line_over_the_limit_without_crlf_is_reported_once_it_passes_the_limit()
    {
        var parser = new ClientStreamParser(100);

        var items = Feed(parser, "MAIL FROM:<" + new string('a', 60), new string('a', 60));

        Assert.Equal(ClientItemKind.LineTooLong, Assert.Single(items).Kind);
    }
}
