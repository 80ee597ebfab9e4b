using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Api;

/// <summary>/api/v1/search with Mailpit's syntax over messages delivered with a raw SMTP client.</summary>
public sealed class SearchApiTests(MailSinkApp app) : IClassFixture<MailSinkApp>, IAsyncLifetime
{
    private string _report = "";
    private string _note = "";
    private string _photo = "";

    public async Task InitializeAsync()
    {
        await app.DeleteAllMessagesAsync();
        _report = await DeliverAsync(
            "From: Reports <reports@corp.test>\r\nTo: dana@example.test\r\nCc: Team Lead <lead@example.test>\r\n"
            + "Reply-To: Help Desk <help@corp.test>\r\nMessage-ID: <abc.123@reports.test>\r\nX-Tags: weekly\r\nSubject: weekly report\r\n\r\n"
            + new string('x', 3000) + "\r\n",
            "reports@corp.test", "dana@example.test", "lead@example.test", "hidden@example.test");
        _note = await DeliverAsync(
            "From: eve@example.test\r\nTo: frank@example.test\r\nMessage-ID: <xyz@notes.test>\r\nSubject: short note\r\n\r\nhi\r\n",
            "eve@example.test", "frank@example.test");
        _photo = await DeliverAsync(
            "From: gina@example.test\r\nTo: hal@example.test\r\nSubject: photo\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/related; boundary=b\r\n\r\n--b\r\nContent-Type: text/html\r\n\r\n<img src=\"cid:logo\">\r\n"
            + "--b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b--\r\n",
            "gina@example.test", "hal@example.test");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("cc:lead", "report")]
    [InlineData("-cc:lead", "note,photo")]
    [InlineData("bcc:hidden", "report")]
    [InlineData("reply-to:\"help desk\"", "report")]
    [InlineData("addressed:frank", "note")]
    [InlineData("!addressed:corp.test", "note,photo")]
    [InlineData("message-id:<abc.123@reports.test>", "report")]
    [InlineData("tag:weekly", "report")]
    [InlineData("is:tagged", "report")]
    [InlineData("!is:tagged", "note,photo")]
    [InlineData("has:inline", "photo")]
    [InlineData("larger:2k", "report")]
    [InlineData("smaller:2k -subject:photo", "note")]
    [InlineData("\"short note\"", "note")]
    [InlineData("-\"short note\" -photo", "report")]
    public async Task Each_term_finds_the_delivered_messages(string query, string expected)
    {
        Assert.Equal(Named(expected), await SearchAsync(query));
    }

    [Fact]
    public async Task Dates_are_read_in_the_tz_parameter()
    {
        // Everything was received just now. In Kiritimati (+14) "today" has begun already or will begin soon, but a
        // date two days ahead is always in the future, in UTC and in every zone.
        var ahead = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Named("report,note,photo"), await SearchAsync($"before:{ahead}"));
        Assert.Empty(await SearchAsync($"after:{ahead}", "Pacific/Kiritimati"));

        // The instant 14 hours before now written as wall time in Kiritimati is now: after: it finds everything only
        // when that wall time is read in Kiritimati.
        var kiritimatiNow = DateTime.UtcNow.AddHours(14).AddMinutes(-5).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Named("report,note,photo"), await SearchAsync($"after:{kiritimatiNow}", "Pacific/Kiritimati"));
        Assert.Empty(await SearchAsync($"after:{kiritimatiNow}"));
    }

    [Fact]
    public async Task An_unknown_zone_or_size_is_a_problem_naming_the_parameter()
    {
        using var zone = await app.Http.GetAsync("/api/v1/search?query=after:2024-01-01&tz=Mars/Olympus");
        Assert.Equal(HttpStatusCode.BadRequest, zone.StatusCode);
        Assert.Equal("tz", JsonNode.Parse(await zone.Content.ReadAsStringAsync())!["parameter"]!.GetValue<string>());

        using var size = await app.Http.GetAsync("/api/v1/search?query=larger:huge");
        Assert.Equal(HttpStatusCode.BadRequest, size.StatusCode);
        Assert.Contains("is not a size", await size.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tag_set_through_the_api_is_searchable_and_delete_by_search_takes_the_negation()
    {
        using (var put = await app.Http.PutAsJsonAsync("/api/v1/tags", new { IDs = new[] { _note }, Tags = new[] { "Follow up" } }))
        {
            put.EnsureSuccessStatusCode();
        }

        Assert.Equal(Named("note"), await SearchAsync("tag:\"follow up\""));
        Assert.Equal(Named("report,note"), await SearchAsync("is:tagged"));

        using (var delete = await app.Http.DeleteAsync("/api/v1/search?query=" + Uri.EscapeDataString("!is:tagged")))
        {
            delete.EnsureSuccessStatusCode();
        }

        Assert.Equal(Named("report,note"), await SearchAsync(""));
    }

    private string[] Named(string names) =>
        names.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(n => n switch { "report" => _report, "note" => _note, "photo" => _photo, _ => throw new ArgumentException(n) })
            .Order(StringComparer.Ordinal).ToArray();

    private async Task<string[]> SearchAsync(string query, string? tz = null)
    {
        var path = "/api/v1/search?query=" + Uri.EscapeDataString(query) + (tz is null ? "" : "&tz=" + Uri.EscapeDataString(tz));
        var page = query.Length == 0 ? await app.GetJsonAsync("/api/v1/messages") : await app.GetJsonAsync(path);
        return page["messages"]!.AsArray().Select(m => m!["ID"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();
    }

    private async Task<string> DeliverAsync(string message, string from, params string[] recipients) =>
        await RawSmtpClient.DeliverAsync(app.SmtpPort, Encoding.ASCII.GetBytes(message), from, recipients);
}
