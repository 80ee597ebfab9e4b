using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Api;

/// <summary>Tags as Mailpit has them: from X-Tags and plus-addresses at ingest, and /api/v1/tags, over real deliveries.</summary>
public sealed class TagsApiTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    [Fact]
    public async Task X_Tags_and_plus_addresses_tag_the_message_with_Mailpits_cleaning()
    {
        await app.DeleteAllMessagesAsync();
        var id = await DeliverAsync(
            "X-Tags: Urgent,  invoice  2024 , urgent,bad$chars!, ,\r\n",
            to: "Bob <bob+signup+eu@example.test>",
            rcpt: "carol+envelope@example.test");

        var message = await app.GetMessageAsync(id);
        Assert.Equal(["Urgent", "bad chars", "envelope", "eu", "invoice 2024", "signup"], Tags(message["Tags"]));

        var list = await app.GetJsonAsync("/api/v1/messages");
        Assert.Equal(Tags(message["Tags"]), Tags(list["messages"]![0]!["Tags"]));
        Assert.Equal(Tags(message["Tags"]), Tags(await app.GetJsonAsync("/api/v1/tags")));
        Assert.Equal(1, (await app.GetJsonAsync("/api/v1/info"))["Tags"]!["Urgent"]!.GetValue<int>());
    }

    [Fact]
    public async Task Put_sets_rename_renames_everywhere_and_delete_removes_the_tag_from_every_message()
    {
        await app.DeleteAllMessagesAsync();
        var first = await DeliverAsync("X-Tags: keep\r\n");
        var second = await DeliverAsync("", to: "bob+newest@example.test");

        // Lists carry every tag in use (Mailpit's "All current tags"), not only those of the page.
        Assert.Equal(["keep", "newest"], Tags((await app.GetJsonAsync("/api/v1/messages?limit=1"))["tags"]));
        Assert.Equal(["keep", "newest"], Tags((await app.GetJsonAsync("/api/v1/search?query=newest&limit=1"))["tags"]));

        await PutAsync("/api/v1/tags", new { IDs = new[] { first, second }, Tags = new[] { "shared", "x/y", "Shared" } }, HttpStatusCode.OK);
        Assert.Equal(["shared", "x y"], Tags((await app.GetMessageAsync(first))["Tags"]));
        Assert.Equal(["shared", "x y"], Tags((await app.GetMessageAsync(second))["Tags"]));

        await PutAsync("/api/v1/tags/shared", new { Name = "Common" }, HttpStatusCode.OK);
        Assert.Equal(["Common", "x y"], Tags((await app.GetMessageAsync(second))["Tags"]));
        Assert.Equal(2, (await app.GetJsonAsync("/api/v1/info"))["Tags"]!["Common"]!.GetValue<int>());

        await PutAsync("/api/v1/tags/Common", new { Name = "x y" }, HttpStatusCode.BadRequest);
        await PutAsync("/api/v1/tags/missing", new { Name = "other" }, HttpStatusCode.NotFound);
        await PutAsync("/api/v1/tags/Common", new { Name = "$$$" }, HttpStatusCode.BadRequest);

        using (var deleted = await app.Http.DeleteAsync("/api/v1/tags/x%20y"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        Assert.Equal(["Common"], Tags((await app.GetMessageAsync(first))["Tags"]));
        Assert.Equal(["Common"], Tags(await app.GetJsonAsync("/api/v1/tags")));
        using (var again = await app.Http.DeleteAsync("/api/v1/tags/x%20y"))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }

        await PutAsync("/api/v1/tags", new { IDs = new[] { first }, Tags = Array.Empty<string>() }, HttpStatusCode.OK);
        Assert.Empty(Tags((await app.GetMessageAsync(first))["Tags"]));
        Assert.Equal(["Common"], Tags((await app.GetMessageAsync(second))["Tags"]));
    }

    [Fact]
    public async Task A_malformed_body_is_a_problem_not_a_crash()
    {
        using var response = await app.Http.PutAsync("/api/v1/tags", new StringContent("{not json", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    private async Task<string> DeliverAsync(string extraHeaders, string to = "bob@example.test", string rcpt = "bob@example.test")
    {
        var content = Encoding.ASCII.GetBytes($"From: alice@example.test\r\nTo: {to}\r\n{extraHeaders}Subject: tags\r\n\r\nbody\r\n");
        return await RawSmtpClient.DeliverAsync(app.SmtpPort, content, "alice@example.test", rcpt);
    }

    private async Task PutAsync(string path, object body, HttpStatusCode expected)
    {
        using var response = await app.Http.PutAsJsonAsync(path, body);
        Assert.True(response.StatusCode == expected, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static string[] Tags(JsonNode? node) => node!.AsArray().Select(t => t!.GetValue<string>()).ToArray();
}
