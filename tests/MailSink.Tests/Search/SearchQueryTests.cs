using MailSink.Domain;
using MailSink.Search;

namespace MailSink.Tests.Search;

public class SearchQueryTests
{
    private static readonly MessageSummary Invoice = new()
    {
        Id = "invoice",
        ReceivedAt = new DateTimeOffset(2024, 6, 4, 12, 0, 0, TimeSpan.Zero),
        From = new EmailAddress("Billing Team", "billing@shop.example"),
        To = [new EmailAddress("Alice", "alice@example.com")],
        Cc = [new EmailAddress("", "accounts@example.com")],
        Bcc = [new EmailAddress("", "audit@example.org")],
        Subject = "Your invoice for June",
        Read = true,
        Tags = ["Finance", "urgent"],
        Attachments = [new AttachmentInfo { PartId = "2", FileName = "invoice.pdf" }],
        Envelope = new Envelope { MailFrom = "bounces@mailer.example", RcptTo = ["alice@example.com", "archive@example.net"] },
        SearchText = "your invoice for june billing team billing@shop.example alice alice@example.com invoice.pdf please pay the amount due: 12:30 http://shop.example/pay",
    };

    private static readonly MessageSummary Newsletter = new()
    {
        Id = "newsletter",
        ReceivedAt = new DateTimeOffset(2024, 5, 31, 23, 59, 59, TimeSpan.Zero),
        From = new EmailAddress("News", "news@letters.example"),
        To = [new EmailAddress("Bob", "bob@example.com")],
        Subject = "Hello World weekly",
        Read = false,
        Envelope = new Envelope { MailFrom = "news@letters.example", RcptTo = ["bob@example.com"] },
        SearchText = "hello world weekly news news@letters.example bob bob@example.com the world says hello",
    };

    private static readonly MessageSummary[] All = [Invoice, Newsletter];

    public static TheoryData<string, string[]> Cases => new()
    {
        { "", ["invoice", "newsletter"] },
        { "   ", ["invoice", "newsletter"] },
        { "invoice", ["invoice"] },
        { "INVOICE", ["invoice"] },
        { "voic", ["invoice"] },
        { "hello world", ["newsletter"] },
        { "\"world says\"", ["newsletter"] },
        { "\"says world\"", [] },
        { "\"WORLD SAYS", ["newsletter"] },
        { "world -weekly", [] },
        { "-invoice", ["newsletter"] },
        { "-\"world says\"", ["invoice"] },
        { "from:billing", ["invoice"] },
        { "from:\"billing team\"", ["invoice"] },
        { "from:bounces@mailer", ["invoice"] },
        { "-from:news", ["invoice"] },
        { "to:alice", ["invoice"] },
        { "to:accounts@example.com", ["invoice"] },
        { "to:audit", ["invoice"] },
        { "to:archive@example.net", ["invoice"] },
        { "to:bob", ["newsletter"] },
        { "TO:BOB", ["newsletter"] },
        { "subject:\"hello world\"", ["newsletter"] },
        { "subject:june", ["invoice"] },
        { "subject:\"world hello\"", [] },
        { "is:read", ["invoice"] },
        { "is:unread", ["newsletter"] },
        { "-is:read", ["newsletter"] },
        { "has:attachment", ["invoice"] },
        { "has:attachments", ["invoice"] },
        { "-has:attachment", ["newsletter"] },
        { "tag:finance", ["invoice"] },
        { "tag:fin", [] },
        { "-tag:urgent", ["newsletter"] },
        { "before:2024-06-01", ["newsletter"] },
        { "after:2024-06-01", ["invoice"] },
        { "after:2024-05-31T23:59:59Z", ["invoice", "newsletter"] },
        { "after:2024-06-01T00:00:00Z", ["invoice"] },
        { "before:2024-06-04T14:00:00+02:00", ["invoice", "newsletter"] },
        { "before:2024-06-04T13:59:59+02:00", ["newsletter"] },
        { "after:2024-05-01 before:2024-07-01 is:read invoice", ["invoice"] },
        { "12:30", ["invoice"] },
        { "http://shop.example/pay", ["invoice"] },
        { "-", [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Query_selects_the_expected_messages(string query, string[] expectedIds)
    {
        var parsed = SearchQuery.Parse(query);

        Assert.Equal(expectedIds, All.Where(parsed.Predicate).Select(m => m.Id));
    }

    [Theory]
    [InlineData("foo:bar", "foo:bar", "unknown filter \"foo:\"")]
    [InlineData("hello -Size:10", "-Size:10", "unknown filter \"size:\"")]
    [InlineData("before:yesterday", "before:yesterday", "\"yesterday\" is not a date")]
    [InlineData("after:2024-13-01", "after:2024-13-01", "is not a date")]
    [InlineData("is:starred", "is:starred", "is: takes read, unread or tagged")]
    [InlineData("has:wings", "has:wings", "has: takes attachment or inline")]
    [InlineData("from:", "from:", "needs a value")]
    [InlineData("subject:\"\"", "subject:\"\"", "needs a value")]
    public void Bad_terms_are_rejected_naming_the_term(string query, string term, string problem)
    {
        var error = Assert.Throws<SearchQueryException>(() => SearchQuery.Parse(query));

        Assert.Equal(term, error.Term);
        Assert.Contains(term, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Terms_are_exposed_for_stores_that_push_filters_down()
    {
        var query = SearchQuery.Parse("-subject:\"a b\" after:2024-06-01 word");

        Assert.Equal(
            [
                new SearchTerm(SearchField.Subject, "a b", true),
                new SearchTerm(SearchField.After, "2024-06-01", false, new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero)),
                new SearchTerm(SearchField.Text, "word", false),
            ],
            query.Terms);
        Assert.False(query.IsEmpty);
        Assert.True(SearchQuery.Parse(null).IsEmpty);
    }
}
