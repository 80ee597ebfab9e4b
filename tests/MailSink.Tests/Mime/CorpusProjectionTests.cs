using MailSink.Domain;
using MailSink.Mime;

namespace MailSink.Tests.Mime;

public class CorpusProjectionTests
{
    public static TheoryData<string> Files => Corpus.MessageFileData;

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_corpus_file_projects_and_its_parts_can_be_read(string file)
    {
        var raw = Corpus.Read(file);

        var summary = MessageProjector.Project(raw, new Envelope());
        var reader = new MessageContentReader(raw);

        Assert.Equal(raw.Length, summary.Size);
        Assert.Null(reader.ParseError);
        Assert.NotEmpty(reader.Headers);
        Assert.Equal(summary.HasText, reader.Text is not null);
        Assert.Equal(summary.HasHtml, reader.Html is not null);
        Assert.Equal(summary.SearchText.ToLowerInvariant(), summary.SearchText);
        Assert.True(summary.SearchText.Length <= MessageProjector.SearchTextLength);
        Assert.True(summary.Snippet.Length <= MessageProjector.SnippetLength + 1);

        // Every listed part resolves through the reader to the same type and decoded size.
        foreach (var listed in summary.Attachments.Concat(summary.Inlines))
        {
            Assert.True(reader.TryGetPart(listed.PartId, out var part), $"part {listed.PartId} of {file}");
            Assert.Equal(listed.ContentType, part.ContentType, ignoreCase: true);
            Assert.Equal(listed.Size, part.Content.LongLength);
            Assert.Equal(listed.FileName, part.FileName);
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Bare_lf_warning_matches_the_bytes(string file)
    {
        var raw = Corpus.Read(file);
        var bareLf = raw.Where((b, i) => b == '\n' && (i == 0 || raw[i - 1] != '\r')).Count();

        var summary = MessageProjector.Project(raw, new Envelope());
        var crlf = MessageProjector.Project(Corpus.ReadAsCrlf(file), new Envelope());

        Assert.Equal(bareLf > 0, summary.Warnings.Contains($"{bareLf} line(s) end in a bare LF without CR; RFC 5321 section 2.3.8 and RFC 5322 section 2.3 require CRLF."));
        Assert.DoesNotContain(crlf.Warnings, w => w.Contains("bare LF", StringComparison.Ordinal));
    }
}
