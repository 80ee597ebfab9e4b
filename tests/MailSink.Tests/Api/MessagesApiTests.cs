using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MailKit.Security;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Api;

/// <summary>
/// /api/v1/messages and /api/v1/message/{id} over real deliveries. Tests in a class run one after
/// another, so each test that counts starts from an empty store.
/// </summary>
public sealed class MessagesApiTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    [Fact]
    public async Task Paging_returns_newest_first_with_totals()
    {
        await app.DeleteAllMessagesAsync();
        var ids = await SendAsync(5, "page");

        var first = await app.GetJsonAsync("/api/v1/messages?limit=2");
        Assert.Equal(5, first["total"]!.GetValue<int>());
        Assert.Equal(5, first["messages_count"]!.GetValue<int>());
        Assert.Equal(5, first["unread"]!.GetValue<int>());
        Assert.Equal(2, first["count"]!.GetValue<int>());
        Assert.Equal(0, first["start"]!.GetValue<int>());
        Assert.Equal([ids[4], ids[3]], Ids(first));

        var second = await app.GetJsonAsync("/api/v1/messages?start=2&limit=2");
        Assert.Equal(2, second["start"]!.GetValue<int>());
        Assert.Equal([ids[2], ids[1]], Ids(second));

        var last = await app.GetJsonAsync("/api/v1/messages?start=4&limit=2");
        Assert.Equal([ids[0]], Ids(last));
        Assert.Equal(1, last["count"]!.GetValue<int>());

        var beyond = await app.GetJsonAsync("/api/v1/messages?start=10");
        Assert.Equal(0, beyond["count"]!.GetValue<int>());
        Assert.Equal(5, beyond["total"]!.GetValue<int>());

        var latest = await app.GetMessageAsync("latest");
        Assert.Equal(ids[4], latest["ID"]!.GetValue<string>());
        Assert.Equal("page 4", latest["Subject"]!.GetValue<string>());
    }

    [Fact]
    public async Task Headers_as_a_map_and_as_an_ordered_list_keep_repeats()
    {
        var content = Encoding.ASCII.GetBytes(
            "From: Alice <alice@example.test>\r\nTo: bob@example.test\r\nX-Repeat: one\r\nSubject: headers\r\nX-Repeat: two\r\n\r\nbody\r\n");
        var id = await RawSmtpClient.DeliverAsync(app.SmtpPort, content);

        var map = (await app.GetJsonAsync($"/api/v1/message/{id}/headers")).AsObject();
        Assert.Equal(["one", "two"], map["X-Repeat"]!.AsArray().Select(v => v!.GetValue<string>().Trim()));
        Assert.Equal(["headers"], map["Subject"]!.AsArray().Select(v => v!.GetValue<string>().Trim()));
        Assert.Single(map["Received"]!.AsArray());

        var ordered = (await app.GetJsonAsync($"/api/v1/message/{id}/headers?ordered=true")).AsArray();
        Assert.Equal(["Received", "From", "To", "X-Repeat", "Subject", "X-Repeat"], ordered.Select(h => h!["Name"]!.GetValue<string>()));
        Assert.Equal(["one", "two"], ordered.Where(h => h!["Name"]!.GetValue<string>() == "X-Repeat").Select(h => h!["Value"]!.GetValue<string>().Trim()));
    }

    [Fact]
    public async Task Raw_is_byte_exact_and_downloads_as_rfc822()
    {
        var content = Encoding.UTF8.GetBytes("Subject: raw \u00e9\r\nX-Tab:\tvalue  \r\n\r\n.leading dot\r\n  indented\r\ntrailing spaces   \r\n\r\n");
        var id = await RawSmtpClient.DeliverAsync(app.SmtpPort, content);

        using var inline = await app.Http.GetAsync($"/api/v1/message/{id}/raw");
        inline.EnsureSuccessStatusCode();
        var raw = await inline.Content.ReadAsByteArrayAsync();
        var (_, stored) = RawMessage.SplitFirstHeader(raw);
        Assert.Equal(content, stored);
        Assert.Equal("nosniff", inline.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Null(inline.Content.Headers.ContentDisposition);

        using var download = await app.Http.GetAsync($"/api/v1/message/{id}/raw?download=true");
        download.EnsureSuccessStatusCode();
        Assert.Equal("message/rfc822", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal($"{id}.eml", download.Content.Headers.ContentDisposition.FileName?.Trim('"'));
        Assert.Equal(raw, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Part_download_is_an_attachment_with_nosniff_and_a_safe_file_name()
    {
        var html = "<script>alert(1)</script>";
        var content = Encoding.ASCII.GetBytes(
            "From: a@example.test\r\nSubject: part\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" +
            "--b1\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n" +
            "--b1\r\nContent-Type: text/html\r\nContent-Disposition: attachment; filename=\"../../etc/evil\\\".html\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
            Convert.ToBase64String(Encoding.ASCII.GetBytes(html)) + "\r\n--b1--\r\n");
        var id = await RawSmtpClient.DeliverAsync(app.SmtpPort, content);

        var message = await app.GetMessageAsync(id);
        var attachment = Assert.Single(message["Attachments"]!.AsArray())!;
        var partId = attachment["PartID"]!.GetValue<string>();

        using var response = await app.Http.GetAsync($"/api/v1/message/{id}/part/{partId}");
        response.EnsureSuccessStatusCode();
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var fileName = response.Content.Headers.ContentDisposition.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName!.Trim('"');
        Assert.DoesNotContain('/', fileName);
        Assert.DoesNotContain('\\', fileName);
        Assert.DoesNotContain('"', fileName);
        Assert.DoesNotContain("..", fileName, StringComparison.Ordinal);
        Assert.EndsWith(".html", fileName, StringComparison.Ordinal);
        Assert.Equal(html, await response.Content.ReadAsStringAsync());

        using var missing = await app.Http.GetAsync($"/api/v1/message/{id}/part/9.9");
        await AssertProblemAsync(missing, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Read_state_is_set_by_ids_and_for_all()
    {
        await app.DeleteAllMessagesAsync();
        var ids = await SendAsync(3, "read");

        await PutReadAsync(new { IDs = new[] { ids[1] }, Read = true });
        Assert.Equal([false, true, false], await ReadStatesAsync(ids));
        Assert.Equal(2, (await app.GetJsonAsync("/api/v1/messages"))["unread"]!.GetValue<int>());

        await PutReadAsync(new { Read = true });
        Assert.Equal([true, true, true], await ReadStatesAsync(ids));

        await PutReadAsync(new { ids = new[] { ids[0], ids[2] }, read = false });
        Assert.Equal([false, true, false], await ReadStatesAsync(ids));

        await PutReadAsync(new { Read = false });
        Assert.Equal([false, false, false], await ReadStatesAsync(ids));
        Assert.Equal(3, (await app.GetJsonAsync("/api/v1/messages"))["unread"]!.GetValue<int>());
    }

    [Fact]
    public async Task Delete_by_ids_one_by_id_and_all()
    {
        await app.DeleteAllMessagesAsync();
        var ids = await SendAsync(4, "delete");

        using (var byIds = await app.SendJsonAsync(HttpMethod.Delete, "/api/v1/messages", new { IDs = new[] { ids[0], ids[1] } }))
        {
            byIds.EnsureSuccessStatusCode();
        }

        Assert.Equal([ids[3], ids[2]], Ids(await app.GetJsonAsync("/api/v1/messages")));
        await AssertProblemAsync(await app.Http.GetAsync($"/api/v1/message/{ids[0]}"), HttpStatusCode.NotFound);

        using (var one = await app.Http.DeleteAsync($"/api/v1/message/{ids[2]}"))
        {
            one.EnsureSuccessStatusCode();
        }

        Assert.Equal([ids[3]], Ids(await app.GetJsonAsync("/api/v1/messages")));
        await AssertProblemAsync(await app.Http.DeleteAsync($"/api/v1/message/{ids[2]}"), HttpStatusCode.NotFound);

        // No body at all: Mailpit and MailHog clients delete everything this way.
        using (var all = await app.Http.DeleteAsync("/api/v1/messages"))
        {
            all.EnsureSuccessStatusCode();
        }

        var empty = await app.GetJsonAsync("/api/v1/messages");
        Assert.Equal(0, empty["total"]!.GetValue<int>());
        Assert.Empty(empty["messages"]!.AsArray());
    }

    [Fact]
    public async Task Search_matches_decoded_text_and_filters()
    {
        var run = "zq" + Guid.NewGuid().ToString("N")[..8];
        var encoded = await RawSmtpClient.DeliverAsync(app.SmtpPort, Encoding.ASCII.GetBytes(
            $"From: Alice Example <alice@{run}.test>\r\nTo: bob@example.test\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln_{run}?=\r\n" +
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
            "Caf=C3=A9 cr=C3=A8me br=C3=BBl=C3=A9e\r\n"));
        var withAttachment = await RawSmtpClient.DeliverAsync(app.SmtpPort, Encoding.ASCII.GetBytes(
            $"From: carol@example.test\r\nSubject: report {run}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
            "--b\r\nContent-Type: text/plain\r\n\r\nsee file\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"r.pdf\"\r\n\r\nJVBERi0=\r\n--b--\r\n"));
        var plain = await RawSmtpClient.DeliverAsync(app.SmtpPort, Encoding.ASCII.GetBytes($"From: dave@example.test\r\nSubject: plain {run}\r\n\r\nnothing special\r\n"));
        await PutReadAsync(new { IDs = new[] { plain }, Read = true });

        Assert.Equal([encoded], await SearchAsync($"{run} k\u00f6ln"));
        Assert.Equal([encoded], await SearchAsync($"{run} \"cr\u00e8me br\u00fbl\u00e9e\""));
        Assert.Empty(await SearchAsync($"{run} K=C3=B6ln"));
        Assert.Equal([encoded], await SearchAsync($"from:alice@{run}"));
        Assert.Equal([encoded], await SearchAsync($"subject:gr\u00fc\u00dfe {run}"));
        Assert.Equal([withAttachment], await SearchAsync($"{run} has:attachment"));
        Assert.Equal([plain, encoded], await SearchAsync($"{run} -has:attachment"));
        Assert.Equal([withAttachment, encoded], await SearchAsync($"{run} is:unread"));
        Assert.Equal([plain], await SearchAsync($"{run} is:read"));
        Assert.Equal([withAttachment, encoded], await SearchAsync($"{run} -from:dave"));

        var page = await app.GetJsonAsync($"/api/v1/search?query={Uri.EscapeDataString(run)}&limit=1");
        Assert.Equal(3, page["messages_count"]!.GetValue<int>());
        Assert.Equal(2, page["messages_unread"]!.GetValue<int>());
        Assert.Equal(1, page["count"]!.GetValue<int>());
    }

    public static TheoryData<string, string> BadParameters => new()
    {
        { "/api/v1/messages?limit=0", "limit" },
        { "/api/v1/messages?limit=abc", "limit" },
        { "/api/v1/messages?limit=100000", "limit" },
        { "/api/v1/messages?start=-1", "start" },
        { "/api/v1/search?query=is:maybe", "query" },
        { "/api/v1/search?query=nosuch:filter", "query" },
        { "/api/v1/search?query=before:yesterday", "query" },
        { "/api/v1/search?query=x&start=no", "start" },
        { "/api/v1/sessions?limit=-5", "limit" },
    };

    [Theory]
    [MemberData(nameof(BadParameters))]
    public async Task Bad_parameters_get_400_problem_naming_the_parameter(string url, string parameter)
    {
        using var response = await app.Http.GetAsync(url);
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(parameter, problem["parameter"]!.GetValue<string>());
        Assert.Contains(parameter, problem["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
    }

    [Fact]
    public async Task Bad_json_body_gets_400_problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/messages") { Content = new StringContent("{not json", Encoding.UTF8, "application/json") };
        using var response = await app.Http.SendAsync(request);
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("body", problem["parameter"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("GET", "/api/v1/message/0000000000000000")]
    [InlineData("GET", "/api/v1/message/0000000000000000/raw")]
    [InlineData("GET", "/api/v1/message/0000000000000000/headers")]
    [InlineData("GET", "/api/v1/message/0000000000000000/part/1")]
    [InlineData("GET", "/api/v1/message/0000000000000000/received")]
    [InlineData("GET", "/api/v1/message/0000000000000000/transcript")]
    [InlineData("GET", "/api/v1/session/0000000000000000")]
    [InlineData("DELETE", "/api/v1/message/0000000000000000")]
    public async Task Unknown_id_gets_404_problem(string method, string url)
    {
        using var response = await app.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("0000000000000000", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_counts_messages_and_accepted_smtp()
    {
        var before = await app.GetJsonAsync("/api/v1/info");
        await SendAsync(2, "info");
        var after = await app.GetJsonAsync("/api/v1/info");

        Assert.Equal(before["Messages"]!.GetValue<int>() + 2, after["Messages"]!.GetValue<int>());
        Assert.Equal(before["Unread"]!.GetValue<int>() + 2, after["Unread"]!.GetValue<int>());
        Assert.Equal(before["RuntimeStats"]!["SMTPAccepted"]!.GetValue<long>() + 2, after["RuntimeStats"]!["SMTPAccepted"]!.GetValue<long>());
        Assert.True(after["RuntimeStats"]!["SMTPAcceptedSize"]!.GetValue<long>() > before["RuntimeStats"]!["SMTPAcceptedSize"]!.GetValue<long>());
        var listeners = after["Listeners"]!.AsArray().Select(l => (l!["Name"]!.GetValue<string>(), l["Port"]!.GetValue<int>())).ToList();
        Assert.Contains(("smtp", app.SmtpPort), listeners);
        Assert.Contains(("submission", app.SubmissionPort), listeners);
        Assert.Contains(("smtps", app.SmtpsPort), listeners);
        Assert.Equal(Path.Combine(app.DataDirectory, "mailsink.db"), after["Database"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/livez")]
    [InlineData("/readyz")]
    public async Task Health_probes_answer_ok(string url)
    {
        using var response = await app.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Openapi_document_lists_the_messages_route()
    {
        var document = await app.GetJsonAsync("/openapi/v1.json");
        Assert.StartsWith("3.", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        var paths = document["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/api/v1/messages"), string.Join(", ", paths.Select(p => p.Key)));
        Assert.NotNull(paths["/api/v1/messages"]!["get"]);
        Assert.True(paths.ContainsKey("/api/v1/message/{id}"));
    }

    private async Task<List<string>> SendAsync(int count, string prefix)
    {
        var ids = new List<string>();
        using var client = await SmtpSending.ConnectAsync(app.SmtpPort, SecureSocketOptions.None);
        for (var i = 0; i < count; i++)
        {
            ids.Add(SmtpSending.QueuedId(await client.SendAsync(SmtpSending.NewMessage($"{prefix} {i}"))));
        }

        await client.DisconnectAsync(quit: true);
        return ids;
    }

    private async Task PutReadAsync(object body)
    {
        using var response = await app.SendJsonAsync(HttpMethod.Put, "/api/v1/messages", body);
        response.EnsureSuccessStatusCode();
    }

    private async Task<List<bool>> ReadStatesAsync(IEnumerable<string> ids)
    {
        // From the list: GET /api/v1/message/{id} marks the message read (Mailpit), so it cannot be the probe.
        var listed = (await app.ListAllMessagesAsync()).ToDictionary(m => m["ID"]!.GetValue<string>(), m => m["Read"]!.GetValue<bool>());
        return ids.Select(id => listed[id]).ToList();
    }

    private async Task<List<string>> SearchAsync(string query) =>
        Ids(await app.GetJsonAsync($"/api/v1/search?query={Uri.EscapeDataString(query)}&limit=1000"));

    private static List<string> Ids(JsonNode page) => page["messages"]!.AsArray().Select(m => m!["ID"]!.GetValue<string>()).ToList();

    private static async Task<JsonNode> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(body)!;
            Assert.Equal((int)status, problem["status"]!.GetValue<int>());
            Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()));
            return problem;
        }
    }
}
