using System.Text;
using System.Text.Json.Nodes;
using MailSink.Hosting;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Api.Compat;

/// <summary>
/// The tag methods of the real npm <c>mailpit-api</c> client (2.1.0), run by Node against MailSink on a real HTTP
/// port: getTags, setTags (set and clear), renameTag, deleteTag, and searchMessages with tag: and !is:tagged.
/// </summary>
public sealed class MailpitApiTagsTests
{
    [ToolFact("npm")]
    public async Task Every_tag_method_of_mailpit_api_works_against_MailSink()
    {
        await using var sink = await MailSinkServer.StartAsync(new MailSinkServerOptions { EnableTlsListeners = false });
        var tagged = await RawSmtpClient.DeliverAsync(
            sink.SmtpPort, Encoding.ASCII.GetBytes("From: a@example.test\r\nTo: b@example.test\r\nX-Tags: From Header\r\nSubject: one\r\n\r\nx\r\n"));
        var plain = await RawSmtpClient.DeliverAsync(
            sink.SmtpPort, Encoding.ASCII.GetBytes("From: a@example.test\r\nTo: c@example.test\r\nSubject: two\r\n\r\ny\r\n"));

        var (exitCode, output) = await Nodemailer.RunScriptAsync("mailpit-tags.mjs", sink.BaseAddress.ToString(), tagged, plain);
        Assert.True(exitCode == 0, $"mailpit-api failed ({exitCode}): {output}");
        var result = JsonNode.Parse(output)!;

        Assert.Equal(["From Header"], Strings(result["initial"]));
        Assert.Equal("ok", result["set"]!.GetValue<string>());
        Assert.Equal(["Node Set", "bad chars", "shared"], Strings(result["afterSet"]));
        Assert.Equal(Sorted(tagged, plain), Strings(result["searchSet"]));
        Assert.Equal("ok", result["rename"]!.GetValue<string>());
        Assert.Equal(["Renamed", "bad chars", "shared"], Strings(result["afterRename"]));
        Assert.Equal(["Renamed", "bad chars", "shared"], Strings(result["summaryTags"]));
        Assert.Equal("ok", result["delete"]!.GetValue<string>());
        Assert.Equal(["Renamed", "bad chars"], Strings(result["afterDelete"]));
        Assert.Equal("ok", result["cleared"]!.GetValue<string>());
        Assert.Equal([tagged], Strings(result["searchRenamed"]));
        Assert.Equal([plain], Strings(result["searchUntagged"]));
        Assert.Equal(1, result["infoTags"]!["Renamed"]!.GetValue<int>());

        // What the client saw is what MailSink holds.
        var stored = await sink.Client.GetAsync(tagged);
        Assert.Equal(["Renamed", "bad chars"], stored.Tags);
        Assert.Empty((await sink.Client.GetAsync(plain)).Tags);
    }

    private static string[] Strings(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    private static string[] Sorted(params string[] ids) => ids.Order(StringComparer.Ordinal).ToArray();
}
