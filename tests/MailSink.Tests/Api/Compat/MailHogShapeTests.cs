using System.Globalization;
using System.Text.Json.Nodes;

namespace MailSink.Tests.Api.Compat;

/// <summary>
/// MailHog's JSON, key for key, as its Go structs marshal it (mailhog/data message.go: Message, Path, Content,
/// SMTPMessage, MIMEBody; MailHog-Server api/v2.go: messagesResult). No key more, none less: MailHog's clients and
/// users' own code read these objects directly.
/// </summary>
public sealed class MailHogShapeTests
{
    [Fact]
    public async Task Every_object_in_a_v2_page_has_exactly_the_keys_of_MailHogs_Go_structs()
    {
        await using var sink = await CompatMail.StartAsync();
        await CompatMail.SendAsync(sink, CompatMail.Multipart());
        using var http = new HttpClient { BaseAddress = sink.BaseAddress };

        var page = JsonNode.Parse(await http.GetStringAsync("/api/v2/messages"))!.AsObject();

        AssertKeys(page, "total", "count", "start", "items");
        var message = page["items"]![0]!.AsObject();
        AssertKeys(message, "ID", "From", "To", "Content", "Created", "MIME", "Raw");
        AssertPath(message["From"]!.AsObject());
        AssertPath(Assert.Single(message["To"]!.AsArray())!.AsObject());
        AssertContent(message["Content"]!.AsObject());
        Assert.Null(message["Content"]!["MIME"]);
        var mime = message["MIME"]!.AsObject();
        AssertKeys(mime, "Parts");
        foreach (var part in mime["Parts"]!.AsArray())
        {
            AssertContent(part!.AsObject());
        }

        AssertKeys(message["Raw"]!.AsObject(), "From", "To", "Data", "Helo");
        Assert.True(DateTimeOffset.TryParse(message["Created"]!.GetValue<string>(), CultureInfo.InvariantCulture, out _));
        Assert.Equal(message["Raw"]!["Data"]!.GetValue<string>().Length, message["Content"]!["Size"]!.GetValue<int>());
    }

    private static void AssertPath(JsonObject path)
    {
        AssertKeys(path, "Relays", "Mailbox", "Domain", "Params");
        Assert.Null(path["Relays"]);
        Assert.Equal("", path["Params"]!.GetValue<string>());
    }

    private static void AssertContent(JsonObject content)
    {
        AssertKeys(content, "Headers", "Body", "Size", "MIME");
        Assert.All(content["Headers"]!.AsObject(), h => Assert.IsType<JsonArray>(h.Value));
        Assert.IsType<string>(content["Body"]!.GetValue<string>());
        Assert.True(content["Size"]!.GetValue<int>() >= content["Body"]!.GetValue<string>().Length);
    }

    private static void AssertKeys(JsonObject value, params string[] keys) =>
        Assert.Equal(keys.Order(StringComparer.Ordinal), value.Select(p => p.Key).Order(StringComparer.Ordinal));
}
