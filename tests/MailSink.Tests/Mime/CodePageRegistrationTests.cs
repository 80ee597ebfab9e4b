using MailSink.Domain;
using MailSink.Mime;

namespace MailSink.Tests.Mime;

/// <summary>
/// ISO-2022-JP must decode even when something else used MimeKit before MailSink parsed its first
/// message (MimeKit caches which charsets exist on first use). This reproduces the order MailKit-based
/// tests create: it detects the regression when it is the first MimeKit user in the process (run it
/// filtered: dotnet test --filter CodePageRegistrationTests); in a full run CorpusGoldenTests failed
/// intermittently for the same reason.
/// </summary>
public class CodePageRegistrationTests
{
    [Fact]
    public void Iso_2022_jp_decodes_after_mimekit_was_used_before_the_first_projection()
    {
        _ = new MessageIdGenerator(TimeProvider.System).Next();
        var raw = Corpus.ReadAsCrlf("mimekit/japanese.txt");
        _ = MimeKit.MimeMessage.Load(new MemoryStream(raw)).Subject;

        var summary = MessageProjector.Project(raw, new Envelope());

        Assert.Equal("日本語メールテスト (testing Japanese emails)", summary.Subject);
    }
}
