using System.Text;
using MailSink.Domain;
using MailSink.Mime;

namespace MailSink.Tests.Mime;

public sealed class MessageTaggerTests
{
    private static readonly byte[] Raw = Encoding.ASCII.GetBytes(
        "From: Alice <alice+from@example.test>\r\nTo: bob+a+b@example.test\r\nCc: +lead@example.test\r\nX-Tags: one, two\r\nX-Tags: three\r\nSubject: s\r\n\r\nbody\r\n");

    [Fact]
    public void Both_sources_give_their_tags_cleaned_and_sorted()
    {
        Assert.Equal(["a", "b", "from", "lead", "one", "three", "two"], TagsOf(new MessageTagger(true, true)));
    }

    [Fact]
    public void Each_source_can_be_switched_off()
    {
        Assert.Equal(["one", "three", "two"], TagsOf(new MessageTagger(fromXTagsHeader: true, fromPlusAddresses: false)));
        Assert.Equal(["a", "b", "from", "lead"], TagsOf(new MessageTagger(fromXTagsHeader: false, fromPlusAddresses: true)));
        Assert.Empty(TagsOf(new MessageTagger(false, false)));
    }

    [Theory]
    [InlineData("  Hello   World ", "Hello World")]
    [InlineData("a/b\\c", "a b c")]
    [InlineData("x@y.z_1-2", "x@y.z_1-2")]
    [InlineData("$$$", "")]
    [InlineData("\u00e9t\u00e9", "t")]
    public void Clean_follows_Mailpits_rules(string name, string expected) => Assert.Equal(expected, TagNames.Clean(name));

    [Fact]
    public void Clean_truncates_to_100_characters() => Assert.Equal(100, TagNames.Clean(new string('a', 150)).Length);

    [Theory]
    [InlineData("user@example.test", new string[0])]
    [InlineData("user+tag@example.test", new[] { "tag" })]
    [InlineData("user+a+b@example.test", new[] { "a", "b" })]
    [InlineData("no-at+sign", new string[0])]
    public void Plus_addresses_split_after_the_first_plus(string address, string[] expected) =>
        Assert.Equal(expected, TagNames.FromPlusAddress(address));

    private static List<string> TagsOf(MessageTagger tagger)
    {
        var summary = MessageProjector.Project(Raw, new Envelope(), out var parsed);
        return tagger.TagsOf(parsed, summary);
    }
}
