using MailSink.Domain;
using MailSink.Search;

namespace MailSink.Tests.Search;

/// <summary>The rest of Mailpit's syntax (internal/storage/search.go), one term at a time, each also negated.</summary>
public class SearchFilterTests
{
    private static readonly MessageSummary Report = new()
    {
        Id = "report",
        ReceivedAt = new DateTimeOffset(2024, 3, 10, 22, 30, 0, TimeSpan.Zero),
        MessageId = "abc.123@reports.example",
        From = new EmailAddress("Reports", "reports@corp.example"),
        To = [new EmailAddress("Dana", "dana@example.com")],
        Cc = [new EmailAddress("Team Lead", "lead@example.com")],
        Bcc = [new EmailAddress("", "hidden@example.org")],
        ReplyTo = [new EmailAddress("Help Desk", "help@corp.example")],
        Size = 2 * 1024 * 1024,
        Tags = ["weekly"],
        Inlines = [new AttachmentInfo { PartId = "1.2", ContentId = "logo" }],
        SearchText = "weekly report",
    };

    private static readonly MessageSummary Note = new()
    {
        Id = "note",
        ReceivedAt = new DateTimeOffset(2024, 3, 11, 9, 0, 0, TimeSpan.Zero),
        MessageId = "xyz@notes.example",
        From = new EmailAddress("Eve", "eve@example.com"),
        To = [new EmailAddress("", "frank@example.com")],
        Size = 500,
        SearchText = "short note",
    };

    private static readonly MessageSummary[] All = [Report, Note];

    public static TheoryData<string, string[]> Cases => new()
    {
        { "cc:lead", ["report"] },
        { "cc:\"team lead\"", ["report"] },
        { "cc:dana", [] },
        { "-cc:lead", ["note"] },
        { "bcc:hidden@example.org", ["report"] },
        { "!bcc:hidden", ["note"] },
        { "reply-to:help", ["report"] },
        { "Reply-To:\"help desk\"", ["report"] },
        { "reply-to:reports", [] },
        { "-reply-to:help", ["note"] },
        { "addressed:help@corp", ["report"] },
        { "addressed:frank", ["note"] },
        { "addressed:eve", ["note"] },
        { "addressed:hidden", ["report"] },
        { "-addressed:example.com", [] },
        { "message-id:abc.123", ["report"] },
        { "message-id:<xyz@notes.example>", ["note"] },
        { "-message-id:abc", ["note"] },
        { "tag:WEEKLY", ["report"] },
        { "!tag:weekly", ["note"] },
        { "is:tagged", ["report"] },
        { "-is:tagged", ["note"] },
        { "has:inline", ["report"] },
        { "has:inlines", ["report"] },
        { "!has:inline", ["note"] },
        { "larger:1M", ["report"] },
        { "larger:2M", [] },
        { "larger:1.5mb", ["report"] },
        { "larger:499", ["note", "report"] },
        { "-larger:1M", ["note"] },
        { "smaller:500k", ["note"] },
        { "smaller:500", [] },
        { "smaller:501", ["note"] },
        { "SMALLER:1KB", ["note"] },
        { "!smaller:1k", ["report"] },
        { "after:2024-03-11", ["note"] },
        { "after:2024-03-10T22:30:00Z", ["report", "note"] },
        { "-after:2024-03-11", ["report"] },
        { "before:2024-03-11", ["report"] },
        { "!before:2024-03-11", ["note"] },
        { "before:2024/03/11", ["report"] },
        { "before:\"11 Mar 2024\"", ["report"] },
        { "before:\"2024-03-10 22:30\"", ["report"] },
        { "\"weekly report\" -\"short note\"", ["report"] },
        { "!report", ["note"] },
        { "!", [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_term_and_its_negation_select_the_expected_messages(string query, string[] expectedIds)
    {
        var parsed = SearchQuery.Parse(query);

        Assert.Equal(expectedIds.Order(), All.Where(parsed.Predicate).Select(m => m.Id).Order());
    }

    [Theory]
    [InlineData(null, "report")]
    [InlineData("Pacific/Auckland", "")]
    [InlineData("America/New_York", "note,report")]
    public void Dates_without_an_offset_are_in_the_time_zone_of_the_search(string? zone, string expected)
    {
        // 2024-03-11 06:00 is 06:00Z in UTC, 2024-03-10T17:00Z in Auckland (NZDT, +13), 10:00Z in New York (EDT, -4).
        var tz = zone is null ? null : TimeZoneInfo.FindSystemTimeZoneById(zone);

        Assert.Equal(expected, Hits(SearchQuery.Parse("before:2024-03-11T06:00", tz)));

        // An explicit offset is that instant whatever the zone.
        Assert.Equal("report", Hits(SearchQuery.Parse("before:2024-03-11T06:00Z", tz)));
    }

    [Theory]
    [InlineData("larger:big", "is not a size")]
    [InlineData("smaller:0", "is not a size")]
    [InlineData("larger:5g", "is not a size")]
    [InlineData("reply-to:", "needs a value")]
    [InlineData("e-mail:x", "unknown filter \"e-mail:\"")]
    public void Bad_new_terms_are_rejected_naming_the_term(string query, string problem)
    {
        var error = Assert.Throws<SearchQueryException>(() => SearchQuery.Parse(query));

        Assert.Equal(query, error.Term);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sizes_are_1024_based_as_Mailpit_counts_them()
    {
        Assert.Equal(
            [512_000L, 1_572_864L, 1_024L, 42L],
            SearchQuery.Parse("larger:500k smaller:1.5M larger:1kb smaller:42").Terms.Select(t => t.Bytes!.Value));
    }

    private static string Hits(SearchQuery query) => string.Join(",", All.Where(query.Predicate).Select(m => m.Id).Order());
}
