using MailSink.Domain;
using MailSink.Mime;

namespace MailSink.Tests.Mime;

public class CorpusGoldenTests
{
    private static MessageSummary Project(string file) => MessageProjector.Project(Corpus.ReadAsCrlf(file), new Envelope());

    [Fact]
    public void Japanese_subject_and_body_are_decoded_from_iso_2022_jp()
    {
        var summary = Project("mimekit/japanese.txt");

        Assert.Equal("日本語メールテスト (testing Japanese emails)", summary.Subject);
        Assert.Contains("日本語が", summary.Snippet, StringComparison.Ordinal);
        Assert.Equal(new EmailAddress("Atsushi Eno", "x@x.com"), summary.From);
        Assert.Equal(new DateTimeOffset(2015, 7, 22, 1, 2, 29, TimeSpan.FromHours(9)), summary.Date);
        Assert.Equal("55AE6D15.4010805@veritas-vos-liberabit.com", summary.MessageId);
        Assert.Empty(summary.Warnings);
    }

    [Fact]
    public void Mailpit_inline_attachment_is_an_inline_with_its_content_id()
    {
        var summary = Project("mailpit/inline-attachment.eml");

        var inline = Assert.Single(summary.Inlines);
        Assert.Equal("test1@example.com", inline.ContentId);
        Assert.Equal("test1.png", inline.FileName);
        Assert.Equal("image/png", inline.ContentType);
        Assert.Equal("2", inline.PartId);
        Assert.True(inline.Inline);
        Assert.Equal(70, inline.Size);
        Assert.Empty(summary.Attachments);
        Assert.True(summary.HasHtml);
        Assert.False(summary.HasText);
    }

    [Fact]
    public void Mailpit_regular_attachment_is_listed_with_name_and_decoded_size()
    {
        const string Base64 = "JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSL0ZpbHRlci9GbGF0ZURlY29kZT4+CnN0cmVhbQo=";

        var summary = Project("mailpit/regular-attachment.eml");

        var attachment = Assert.Single(summary.Attachments);
        Assert.Equal("document.pdf", attachment.FileName);
        Assert.Equal("application/pdf", attachment.ContentType);
        Assert.Equal(Convert.FromBase64String(Base64).Length, attachment.Size);
        Assert.Equal("2", attachment.PartId);
        Assert.False(attachment.Inline);
        Assert.Empty(summary.Inlines);
        Assert.Equal("Message with regular attachment", summary.Snippet);
        Assert.Contains("document.pdf", summary.SearchText, StringComparison.Ordinal);
    }

    [Fact]
    public void Mailpit_mixed_attachment_treats_a_cid_referenced_image_as_inline()
    {
        var summary = Project("mailpit/mixed-attachment.eml");

        Assert.Equal("inline.png", Assert.Single(summary.Inlines).FileName);
        Assert.Equal("document.pdf", Assert.Single(summary.Attachments).FileName);
        Assert.Equal("Document attached", summary.Snippet);
    }

    [Fact]
    public void Mhtml_related_part_with_content_location_is_inline_and_html_is_stripped_for_the_snippet()
    {
        var summary = Project("mimekit/multipart-related-mhtml.txt");

        var image = Assert.Single(summary.Inlines);
        Assert.Equal("image/png", image.ContentType);
        Assert.Equal("part-1.png", image.FileName);
        Assert.True(summary.HasHtml);
        Assert.Equal("def", summary.Snippet);
        Assert.DoesNotContain("cs2654ae3a", summary.SearchText, StringComparison.Ordinal);
        Assert.Contains(summary.Warnings, w => w.Contains("no From header", StringComparison.Ordinal));
        Assert.Contains(summary.Warnings, w => w.Contains("no Date header", StringComparison.Ordinal));
        Assert.Contains(summary.Warnings, w => w.Contains("no Message-ID header", StringComparison.Ordinal));
    }

    [Fact]
    public void Empty_multipart_gives_warnings_and_keeps_the_sibling_text()
    {
        var summary = Project("mimekit/empty-multipart.txt");

        Assert.Contains(summary.Warnings, w => w.Contains("Part 1 (multipart/alternative) contains no parts", StringComparison.Ordinal));
        Assert.Contains(summary.Warnings, w => w.Contains("missing its closing boundary", StringComparison.Ordinal));
        Assert.StartsWith("This part should be on the same level", summary.Snippet, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_subtype_is_a_warning_and_the_part_is_still_an_attachment()
    {
        var summary = Project("mimekit/missing-subtype.txt");

        Assert.Contains(summary.Warnings, w => w.Contains("application-x-gzip", StringComparison.Ordinal) && w.Contains("without a subtype", StringComparison.Ordinal));
        var attachment = Assert.Single(summary.Attachments);
        Assert.Equal("document.xml.gz", attachment.FileName);
        Assert.Equal("blah blah blah\r\n".Length, attachment.Size);
    }

    [Fact]
    public void Rfc2060_sample_parts_are_numbered_like_imap()
    {
        var summary = Project("mimekit/rfc2060.txt");

        Assert.Equal(["2", "3", "4.1", "4.2"], summary.Attachments.Select(a => a.PartId));
        Assert.Equal("This part specifier should be: 1", summary.Snippet);
        Assert.Equal("image/gif", summary.Attachments[2].ContentType);
    }

    [Fact]
    public void Stack_overflow_sample_projects_its_huge_address_list()
    {
        var summary = Project("mimekit/stack-overflow.txt");

        Assert.Equal("Message Subject", summary.Subject);
        Assert.Equal("Message Body", summary.Snippet);
        Assert.Equal(new EmailAddress("test", "test@test.com"), summary.From);
        Assert.True(summary.SearchText.Length <= MessageProjector.SearchTextLength);
    }

    [Fact]
    public void Embedded_message_is_offered_as_an_eml_named_after_its_subject()
    {
        var raw = Corpus.ReadAsCrlf("mimekit/simple-embedded-message.eml");
        var summary = MessageProjector.Project(raw, new Envelope());

        var embedded = Assert.Single(summary.Attachments);
        Assert.Equal("message/rfc822", embedded.ContentType);
        Assert.Equal("embedded message.eml", embedded.FileName);

        Assert.True(new MessageContentReader(raw).TryGetPart(embedded.PartId, out var part));
        Assert.Contains("This is the embedded message body.", System.Text.Encoding.UTF8.GetString(part.Content), StringComparison.Ordinal);
    }
}
