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
    public void Empty_data_ends_at_a_dot_on_the_first_line()
    {
        var parser = new ClientStreamParser(1024);
        Feed(parser, "DATA\r\n");
        parser.DataReply(accepted: true);
        Assert.True(parser.AtDataStart);

        var items = Feed(parser, ".\r\n");

        Assert.Equal(0, Assert.Single(items).Bytes);
    }

    [Fact]
    public void A_line_over_the_limit_without_crlf_is_reported_once_it_passes_the_limit()
    {
        var parser = new ClientStreamParser(100);

        var items = Feed(parser, "MAIL FROM:<" + new string('a', 60), new string('a', 60));

        Assert.Equal(ClientItemKind.LineTooLong, Assert.Single(items).Kind);
    }
}
