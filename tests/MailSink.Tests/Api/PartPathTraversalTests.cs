using System.Net;
using System.Text;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Api;

/// <summary>
/// Part URLs name a MIME part by its path ("1", "2.1"), never a file: hostile part IDs and message IDs get a
/// 400 or 404 problem, and no byte of a file outside the store (here /etc/passwd and the store itself) comes back.
/// Literal "../" segments are resolved by Kestrel before routing; that case is in the end-to-end tests.
/// </summary>
public sealed class PartPathTraversalTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    [Theory]
    [InlineData("part/..%2f..%2f..%2f..%2fetc%2fpasswd")]
    [InlineData("part/..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("part/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd")]
    [InlineData("part/..%5c..%5c..%5cetc%5cpasswd")]
    [InlineData("part/%252e%252e%252fetc%252fpasswd")]
    [InlineData("part/%2fetc%2fpasswd")]
    [InlineData("part/1%2f..%2f..%2fetc%2fpasswd")]
    [InlineData("part/1.%2e%2e")]
    [InlineData("part/mailsink.db")]
    public async Task A_hostile_part_id_is_refused_and_never_reads_a_file(string route)
    {
        var id = await DeliverAsync();

        using var response = await app.Http.GetAsync($"/api/v1/message/{id}/{route}");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("root:", body);
    }

    [Theory]
    [InlineData("..%2f..%2f..%2fetc%2fpasswd")]
    [InlineData("..%2fmailsink.db")]
    [InlineData("%2fetc%2fpasswd")]
    public async Task A_hostile_message_id_is_refused_and_never_reads_a_file(string messageId)
    {
        foreach (var route in new[] { "raw", "headers", "part/1", "received", "transcript" })
        {
            using var response = await app.Http.GetAsync($"/api/v1/message/{messageId}/{route}");
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{route}: {(int)response.StatusCode}: {body}");
            Assert.DoesNotContain("root:", body);
            Assert.DoesNotContain("LiteDB", body);
        }
    }

    [Fact]
    public async Task A_real_part_id_still_returns_the_part()
    {
        // The refusals above mean something only if the same URL shape with a valid part ID works.
        var id = await DeliverAsync();

        using var response = await app.Http.GetAsync($"/api/v1/message/{id}/part/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("traversal canary", await response.Content.ReadAsStringAsync());
    }

    private Task<string> DeliverAsync() => RawSmtpClient.DeliverAsync(app.SmtpPort, Encoding.ASCII.GetBytes(
        "From: a@example.test\r\nTo: b@example.test\r\nSubject: traversal\r\n\r\ntraversal canary\r\n"));
}
