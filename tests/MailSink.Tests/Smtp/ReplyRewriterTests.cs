using MailSink.Smtp;

namespace MailSink.Tests.Smtp;

public sealed class ReplyRewriterTests
{
    [Theory]
    [InlineData("250 Ok", "MAIL", "250 2.1.0 Ok")]
    [InlineData("250 Ok", "RCPT", "250 2.1.5 Ok")]
    [InlineData("250 Ok", "RSET", "250 2.0.0 Ok")]
    [InlineData("221 bye", "QUIT", "221 2.0.0 Bye")]
    [InlineData("235 go ahead", "AUTH", "235 2.7.0 Authentication successful")]
    [InlineData("220 ready when you are", "STARTTLS", "220 2.0.0 Ready to start TLS")]
    [InlineData("502 Unrecognized command", "FOO", "502 5.5.1 Unrecognized command")]
    [InlineData("503 bad sequence", "RCPT", "503 5.5.1 bad sequence")]
    [InlineData("554 ", "DATA-END", "554 5.0.0 Transaction failed")]
    [InlineData("221 Timeout while waiting for input.", "", "421 4.4.2 Idle timeout, closing connection")]
    [InlineData("354 end with <CRLF>.<CRLF>", "DATA", "354 end with <CRLF>.<CRLF>")]
    [InlineData("334 VXNlcm5hbWU6", "AUTH", "334 VXNlcm5hbWU6")]
    [InlineData("250 2.0.0 Ok: queued as X", "DATA-END", "250 2.0.0 Ok: queued as X")]
    [InlineData("451 4.3.0 Storage unavailable", "DATA-END", "451 4.3.0 Storage unavailable")]
    public void Adds_the_enhanced_code_for_the_command_answered(string reply, string verb, string expected)
    {
        Assert.Equal(expected, ReplyRewriter.Rewrite(reply, verb));
    }

    [Fact]
    public void The_greeting_is_left_alone()
    {
        Assert.Equal("220 host ESMTP MailSink ready", ReplyRewriter.Rewrite("220 host ESMTP MailSink ready", null));
    }

    [Fact]
    public void Pipelined_replies_are_paired_with_their_commands_in_order()
    {
        var replies = "250 Ok\r\n250 Ok\r\n250 Ok\r\n354 end with <CRLF>.<CRLF>\r\n";

        var rewritten = ReplyRewriter.RewriteReplies(replies, new ReplyContext(true, ["MAIL", "RCPT", "RCPT", "DATA"]));

        Assert.Equal("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n354 end with <CRLF>.<CRLF>\r\n", rewritten);
    }

    [Fact]
    public void Ehlo_reply_advertises_enhanced_status_codes_and_drops_the_library_quip()
    {
        var replies = "250-mx Hello c, haven't we met before?\r\n250-PIPELINING\r\n250 AUTH PLAIN LOGIN\r\n";

        var rewritten = ReplyRewriter.RewriteReplies(replies, new ReplyContext(true, ["EHLO"]));

        // AuthExchange speaks CRAM-MD5 too, which the library cannot advertise.
        Assert.Equal("250-mx Hello c\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250 AUTH PLAIN LOGIN CRAM-MD5\r\n", rewritten);
    }

    [Fact]
    public void The_last_retry_is_followed_by_421()
    {
        var rewritten = ReplyRewriter.RewriteReplies("502 Unrecognized command, 0 retry(ies) remaining.\r\n", new ReplyContext(true, ["XYZ"]));

        Assert.EndsWith("421 4.7.0 Too many errors, closing connection\r\n", rewritten);
    }

    [Fact]
    public void A_reply_MailSink_gives_instead_replaces_the_library_reply_whole_and_keeps_the_pairing()
    {
        var replies = "250 Ok\r\n250 Ok\r\n550 mailbox unavailable\r\n250 Ok\r\n";
        var context = new ReplyContext(true, ["NOOP", "AUTH", "RCPT", "RCPT"], [null, "334 VXNlcm5hbWU6", "452 4.5.3 Too many recipients (at most 1)", null]);

        var rewritten = ReplyRewriter.RewriteReplies(replies, context);

        Assert.Equal("250 2.0.0 Ok\r\n334 VXNlcm5hbWU6\r\n452 4.5.3 Too many recipients (at most 1)\r\n250 2.1.5 Ok\r\n", rewritten);
    }
}
