using LiteDB;
using MailSink.Domain;
using MailSink.Search;
using MailSink.Storage;
using static MailSink.Tests.Storage.TestStores;
using StjSerializer = System.Text.Json.JsonSerializer;

namespace MailSink.Tests.Storage;

/// <summary>
/// A subject-word search maps each candidate from a projection of its stored document (<see cref="SearchProjection"/>).
/// The fields of the common projections are set by hand, the others by the mapper: the two must give the same summary,
/// and the hand path must be the one taken where it can be.
/// </summary>
public sealed class SearchProjectionTests
{
    private static readonly BsonMapper Mapper = StoreMapper.Create();

    public static TheoryData<string> Queries =>
    [
        "subject:message",
        "subject:message is:read",
        "subject:message is:unread before:2030-01-01 after:2020-01-01",
        "subject:message larger:10 smaller:100000",
        "subject:message tag:urgent is:tagged",
        "subject:message message-id:abc@example.com",
        "subject:message from:alice",
        "subject:message to:bob has:attachment",
    ];

    [Theory]
    [MemberData(nameof(Queries))]
    public void A_projected_candidate_maps_to_the_summary_the_mapper_makes(string text)
    {
        var projection = SearchProjection.For(SearchQuery.Parse(text))!;
        foreach (var summary in Summaries())
        {
            var document = new MailDocuments(Mapper).ToDocument(summary);

            var mapped = SearchProjection.ToSummary(Mapper, Project(projection, document));
            var expected = Mapper.ToObject<MessageSummary>(WithoutNulls(Project(projection, document)));

            Assert.Equal(StjSerializer.Serialize(expected), StjSerializer.Serialize(mapped));
        }
    }

    [Fact]
    public void Only_a_projection_with_fields_not_set_by_hand_goes_through_the_mapper()
    {
        var document = new MailDocuments(Mapper).ToDocument(Summaries().First());
        var counting = new CountingMapper();

        SearchProjection.ToSummary(counting, Project(SearchProjection.For(SearchQuery.Parse("subject:message tag:urgent larger:10 is:read"))!, document));
        Assert.Equal(0, counting.Calls);

        SearchProjection.ToSummary(counting, Project(SearchProjection.For(SearchQuery.Parse("subject:message from:alice"))!, document));
        Assert.Equal(1, counting.Calls);
    }

    /// <summary>One summary with every projected field set, one with them at their defaults or null.</summary>
    private static IEnumerable<MessageSummary> Summaries()
    {
        var full = Message(7, subject: "Message seven");
        full.Read = true;
        full.Tags = ["urgent", "billing"];
        full.MessageId = "abc@example.com";
        full.Size = 5_000_000_000;
        full.Attachments = [new AttachmentInfo { FileName = "a.pdf", ContentType = "application/pdf", Size = 12 }];
        yield return full;

        var bare = Message(8, subject: "");
        bare.MessageId = null;
        bare.To = [];
        yield return bare;
    }

    private static BsonDocument Project(BsonExpression projection, BsonDocument document) =>
        projection.ExecuteScalar(document).AsDocument;

    private static BsonDocument WithoutNulls(BsonDocument document)
    {
        foreach (var key in document.Where(p => p.Value.IsNull).Select(p => p.Key).ToList())
        {
            document.Remove(key);
        }

        return document;
    }

    /// <summary>Counts the calls it gets, and maps nothing (the store's own mapper is sealed).</summary>
    private sealed class CountingMapper : BsonMapper
    {
        public int Calls { get; private set; }

        public override object ToObject(Type type, BsonDocument doc)
        {
            Calls++;
            return new MessageSummary();
        }
    }
}
