using System.Globalization;
using System.Text;
using MailSink.Domain;
using MailSink.Mime;
using MailSink.Search;

namespace MailSink.Tests.Mime;

public class MessageProjectorTests
{
    private const string QuotedPrintable = """
        From: =?UTF-8?Q?Zo=C3=AB_M=C3=BCller?= <zoe@example.com>
        To: Team <team@example.com>
        Cc: boss@example.com
        Subject: =?UTF-8?Q?Cr=C3=A8me_br=C3=BBl=C3=A9e?= for =?ISO-8859-1?Q?d=E9jeuner?=
        Date: Tue, 04 Jun 2024 10:00:00 +0200
        Message-ID: <qp-1@example.com>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: quoted-printable

        The caf=C3=A9 serves a r=C3=A9sum=C3=A9 of desserts: cr=C3=A8me br=C3=BBl=C3=
        =A9e and tarte.
        """;

    [Fact]
    public void Quoted_printable_and_rfc2047_text_is_decoded_and_searchable()
    {
        var summary = MessageProjector.Project(Corpus.ToCrlf(QuotedPrintable), new Envelope());

        Assert.Equal("Crème brûlée for déjeuner", summary.Subject);
        Assert.Equal(new EmailAddress("Zoë Müller", "zoe@example.com"), summary.From);
        Assert.Equal("The café serves a résumé of desserts: crème brûlée and tarte.", summary.Snippet);
        Assert.Empty(summary.Warnings);

        Assert.True(SearchQuery.Parse("résumé").Matches(summary));
        Assert.True(SearchQuery.Parse("\"CRÈME BRÛLÉE and\"").Matches(summary));
        Assert.True(SearchQuery.Parse("müller déjeuner").Matches(summary));
        Assert.False(SearchQuery.Parse("r=C3=A9sum").Matches(summary));
        Assert.False(SearchQuery.Parse("=?UTF-8?Q?").Matches(summary));
    }

    [Fact]
    public void Envelope_recipients_missing_from_to_and_cc_become_bcc()
    {
        var envelope = new Envelope
        {
            MailFrom = "bounce@example.com",
            RcptTo = ["TEAM@example.com", "boss@EXAMPLE.com", "hidden@example.net", "<angle@example.org>", "hidden@example.net"],
        };

        var summary = MessageProjector.Project(Corpus.ToCrlf(QuotedPrintable), envelope);

        Assert.Same(envelope, summary.Envelope);
        Assert.Equal([new EmailAddress("Team", "team@example.com")], summary.To);
        Assert.Equal([new EmailAddress("", "boss@example.com")], summary.Cc);
        Assert.Equal([new EmailAddress("", "hidden@example.net"), new EmailAddress("", "angle@example.org")], summary.Bcc);
        Assert.True(SearchQuery.Parse("to:hidden@example.net").Matches(summary));
    }

    [Fact]
    public void Bcc_header_is_kept_and_not_duplicated_by_the_envelope()
    {
        var raw = Corpus.ToCrlf("From: a@example.com\nTo: b@example.com\nBcc: Secret <s@example.com>\nSubject: x\n\nbody\n");

        var summary = MessageProjector.Project(raw, new Envelope { RcptTo = ["b@example.com", "S@example.com"] });

        Assert.Equal([new EmailAddress("Secret", "s@example.com")], summary.Bcc);
    }

    [Theory]
    [InlineData(249)]
    [InlineData(250)]
    [InlineData(65535)]
    public void Cuts_never_split_a_surrogate_pair(int prefix)
    {
        // An emoji straddling the snippet or search-text cap must not leave half a pair behind:
        // LiteDB refuses invalid UTF-16, which would fail the storage batch.
        var body = new string('a', prefix) + string.Concat(Enumerable.Repeat("\U0001F600", 40000));
        var raw = System.Text.Encoding.UTF8.GetBytes(
            "From: a@example.com\r\nSubject: smile\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body + "\r\n");

        var summary = MessageProjector.Project(raw, new Envelope());

        foreach (var text in new[] { summary.Snippet, summary.SearchText })
        {
            Assert.False(text.Length > 0 && char.IsHighSurrogate(text[^1]), "a high surrogate ends the text");
            Assert.True(System.Text.Unicode.Utf8.FromUtf16(text, new byte[text.Length * 3], out _, out _, replaceInvalidSequences: false) == System.Buffers.OperationStatus.Done);
        }
    }

    [Fact]
    public void Empty_message_is_a_warning_not_an_exception()
    {
        var summary = MessageProjector.Project(ReadOnlyMemory<byte>.Empty, new Envelope { RcptTo = ["a@example.com"] });

        Assert.Equal(["The message is empty."], summary.Warnings);
        Assert.Equal(0, summary.Size);
        Assert.Equal([new EmailAddress("", "a@example.com")], summary.Bcc);
        Assert.Equal("a@example.com", summary.SearchText);
    }

    [Fact]
    public void Bare_cr_bare_lf_and_8bit_headers_are_reported()
    {
        var raw = Encoding.UTF8.GetBytes("From: Jörg <j@example.com>\r\nTo: x@example.com\r\nSubject: hi\r\nDate: Tue, 04 Jun 2024 10:00:00 +0000\r\nMessage-ID: <a@b>\r\n\r\nline one\nline two\rline three\r\n");

        var summary = MessageProjector.Project(raw, new Envelope());

        Assert.Contains(summary.Warnings, w => w.StartsWith("1 line(s) end in a bare LF", StringComparison.Ordinal));
        Assert.Contains(summary.Warnings, w => w.StartsWith("1 bare CR(s)", StringComparison.Ordinal));
        Assert.Contains(summary.Warnings, w => w.Contains("8-bit bytes", StringComparison.Ordinal));
        Assert.Equal("Jörg", summary.From?.Name);
    }

    [Fact]
    public void Eight_bit_headers_are_fine_under_smtputf8()
    {
        var raw = Encoding.UTF8.GetBytes("From: Jörg <j@example.com>\r\nTo: x@example.com\r\nSubject: hi\r\nDate: Tue, 04 Jun 2024 10:00:00 +0000\r\nMessage-ID: <a@b>\r\n\r\nbody\r\n");
        var envelope = new Envelope();
        envelope.MailParameters["SMTPUTF8"] = "";

        Assert.Empty(MessageProjector.Project(raw, envelope).Warnings);
    }

    [Fact]
    public void Unparseable_date_is_null_with_a_warning()
    {
        var raw = Corpus.ToCrlf("From: a@example.com\nDate: the day after tomorrow\nMessage-ID: <x@y>\nSubject: s\n\nbody\n");

        var summary = MessageProjector.Project(raw, new Envelope());

        Assert.Null(summary.Date);
        Assert.Contains(summary.Warnings, w => w.Contains("\"the day after tomorrow\" could not be parsed", StringComparison.Ordinal));
    }

    [Fact]
    public void Deeply_nested_multiparts_do_not_overflow_the_stack()
    {
        const int Depth = 5000;
        var builder = new StringBuilder("From: a@example.com\r\nSubject: nest\r\nMIME-Version: 1.0\r\n");
        for (var i = 0; i < Depth; i++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n");
        }

        builder.Append("Content-Type: text/plain\r\n\r\ndeep inside\r\n");
        for (var i = Depth - 1; i >= 0; i--)
        {
            builder.Append(CultureInfo.InvariantCulture, $"--b{i}--\r\n");
        }

        var raw = Encoding.ASCII.GetBytes(builder.ToString());

        var summary = MessageProjector.Project(raw, new Envelope());
        var reader = new MessageContentReader(raw);

        Assert.Equal("nest", summary.Subject);
        Assert.Contains(summary.Warnings, w => w.Contains("nested deeper than", StringComparison.Ordinal));
        Assert.NotEmpty(reader.Headers);
        Assert.False(reader.TryGetPart(string.Join('.', Enumerable.Repeat("1", Depth)), out _));
    }

    [Fact]
    public void Huge_body_is_capped_in_snippet_and_search_text()
    {
        var body = new StringBuilder(12 * 1024 * 1024);
        body.Append("From: a@example.com\r\nSubject: big\r\nContent-Type: text/plain\r\n\r\nneedle ");
        var line = new string('x', 998) + "\r\n";
        while (body.Length < 12 * 1024 * 1024)
        {
            body.Append(line);
        }

        body.Append("tail-word\r\n");
        var raw = Encoding.ASCII.GetBytes(body.ToString());

        var summary = MessageProjector.Project(raw, new Envelope());

        Assert.Equal(raw.Length, summary.Size);
        Assert.InRange(summary.SearchText.Length, MessageProjector.SearchTextLength - 1024, MessageProjector.SearchTextLength);
        Assert.True(summary.Snippet.Length <= MessageProjector.SnippetLength + 1);
        Assert.True(SearchQuery.Parse("needle").Matches(summary));
        Assert.False(SearchQuery.Parse("tail-word").Matches(summary));
    }

    [Theory]
    [InlineData("\0\0\0\0")]
    [InlineData("not a header line at all\r\n\r\n")]
    [InlineData("Content-Type: multipart/mixed\r\n\r\n--\r\n")]
    [InlineData("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/html\r\n\r\n<p>unclosed <script>alert(1)")]
    [InlineData("From: <<<@@@>>>\r\nTo: ,,,;;;\r\nReceived: ((((\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!====")]
    public void Garbage_is_projected_without_throwing(string text)
    {
        var raw = Encoding.Latin1.GetBytes(text);

        var summary = MessageProjector.Project(raw, new Envelope());
        var reader = new MessageContentReader(raw);

        Assert.Equal(raw.Length, summary.Size);
        Assert.NotEmpty(summary.Warnings);
        Assert.DoesNotContain("alert", summary.Snippet, StringComparison.Ordinal);
        Assert.NotNull(reader.Headers);
    }
}
