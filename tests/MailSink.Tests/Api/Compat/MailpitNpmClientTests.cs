using System.Text.Json.Nodes;
using MailSink.Hosting;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Api.Compat;

/// <summary>
/// The npm <c>mailpit-api</c> client (2.1.0), run by Node against a real MailSink over HTTP: every method it has
/// except the tags and release ones (tested with those features). Node/mailpit-api.mjs runs the steps in order and
/// prints what each returned; this class asserts them one by one so a failure names the method.
/// </summary>
public sealed class MailpitNpmClientTests : IAsyncLifetime
{
    private MailSinkServer _sink = null!;
    private Spamd? _spamd;
    private JsonNode _results = null!;

    public async Task InitializeAsync()
    {
        var options = new MailSinkServerOptions { EnableTlsListeners = false };

        // sa-check with a real spamd (CI installs Debian's spamd); a developer machine without it checks the 501 instead.
        if (ExternalTool.Find("spamd") is not null || ExternalTool.IsCi)
        {
            _spamd = await Spamd.StartAsync();
            options.Settings["Diagnostics:SpamAssassin"] = _spamd.Address;
        }

        _sink = await MailSinkServer.StartAsync(options);
        var folder = await Nodemailer.InstallAsync();
        var node = ExternalTool.Require("node");
        var (exitCode, output) = await ExternalTool.RunAsync(node, [Path.Combine(folder, "mailpit-api.mjs"), _sink.BaseAddress.ToString()], TimeSpan.FromMinutes(2));
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        Assert.True(exitCode == 0 && line is not null, $"node mailpit-api.mjs failed ({exitCode}):\n{output}");
        _results = JsonNode.Parse(line!["RESULT ".Length..])!;
    }

    public async Task DisposeAsync()
    {
        await _sink.DisposeAsync();
        if (_spamd is not null)
        {
            await _spamd.DisposeAsync();
        }
    }

    [Fact]
    public void Every_method_answers_as_Mailpit_would()
    {
        var id = _results["ids"]!["id"]!.GetValue<string>();
        var id2 = _results["ids"]!["id2"]!.GetValue<string>();

        Assert.Equal("ok", Ok("deleteMessages(all)").GetValue<string>());
        Assert.Equal("disabled", Ok("getInfo")["LatestVersion"]!.GetValue<string>());
        Assert.True(Ok("getConfiguration")["ChaosEnabled"]!.GetValue<bool>());
        Assert.Equal(16, id.Length);
        Assert.Equal(id, Ok("waitForMessage").GetValue<string>());
        Assert.Equal(2, Ok("waitForMessages").GetValue<int>());
        Assert.Equal(["mailpit-api two", "mailpit-api one"], Ok("listMessages")["subjects"]!.AsArray().Select(s => s!.GetValue<string>()));

        var message = Ok("getMessageSummary");
        Assert.Equal("mailpit-api one", message["Subject"]!.GetValue<string>());
        Assert.Equal("node@example.test", message["From"]!.GetValue<string>());
        Assert.Equal(["report.txt"], message["Attachments"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("dot", message["Inline"]![0]![0]!.GetValue<string>());
        Assert.Contains("Hello from mailpit-api", message["Text"]!.GetValue<string>());
        Assert.Equal(id2, Ok("getMessageSummary(latest)").GetValue<string>());
        Assert.Equal("mailpit-api one", Ok("getMessageHeaders")[0]!.GetValue<string>());

        var attachment = Ok("getMessageAttachment");
        Assert.Equal("image/png", attachment["type"]!.GetValue<string>());
        Assert.Equal([137, 80, 78], attachment["head"]!.AsArray().Select(b => b!.GetValue<int>()));
        var thumbnail = Ok("getAttachmentThumbnail");
        Assert.Equal("image/jpeg", thumbnail["type"]!.GetValue<string>());
        Assert.Equal([0xFF, 0xD8, 0xFF], thumbnail["head"]!.AsArray().Select(b => b!.GetValue<int>()));

        Assert.True(Ok("getMessageSource").GetValue<bool>());
        Assert.Equal("ok", Ok("setReadStatus").GetValue<string>());
        Assert.False(Ok("listMessages(after setReadStatus)").GetValue<bool>());
        Assert.Equal([id2], Ok("searchMessages")["ids"]!.AsArray().Select(i => i!.GetValue<string>()));

        // html-check runs over the caniemail.com data: the message's <p>, <b>, <a> and <img> are 4 nodes (no </body>).
        var htmlCheck = Ok("htmlCheck");
        Assert.Equal(4, htmlCheck["Nodes"]!.GetValue<int>());
        Assert.True(htmlCheck["Tests"]!.GetValue<int>() > 150);
        Assert.Contains("android", htmlCheck["Platforms"]!.AsArray().Select(p => p!.GetValue<string>()));

        if (_spamd is null)
        {
            Assert.Contains("501", Error("spamAssassinCheck"));
        }
        else
        {
            var spam = Ok("spamAssassinCheck");
            Assert.Equal("", spam["Error"]!.GetValue<string>());
            Assert.NotEmpty(spam["Rules"]!.AsArray());
        }

        Assert.Equal(["https://example.test/a"], Ok("linkCheck")["Links"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(0, Ok("linkCheck")["Errors"]!.GetValue<int>());

        Assert.Equal(["Authentication", "Recipient", "Sender"], Ok("getChaosTriggers").AsArray().Select(k => k!.GetValue<string>()));
        Assert.Equal(451, Ok("setChaosTriggers")["ErrorCode"]!.GetValue<int>());
        Assert.Equal(0, Ok("setChaosTriggers(reset)")["Probability"]!.GetValue<int>());

        Assert.Contains("Hello <b>HTML</b>", Ok("renderMessageHTML").GetValue<string>());
        Assert.Contains($"/api/v1/message/{id}/part/", Ok("renderMessageHTML").GetValue<string>());
        Assert.StartsWith("Hello from mailpit-api", Ok("renderMessageText").GetValue<string>());

        Assert.Equal("ok", Ok("deleteMessagesBySearch").GetValue<string>());
        Assert.Equal([id], Ok("listMessages(after search delete)").AsArray().Select(i => i!.GetValue<string>()));
        Assert.Equal("ok", Ok("deleteMessages(ids)").GetValue<string>());
        Assert.Equal(0, Ok("listMessages(after delete)").GetValue<int>());
    }

    private JsonNode Ok(string step)
    {
        var result = _results[step] ?? throw new InvalidOperationException($"No result for {step}.");
        Assert.True(result["ok"] is not null, $"{step} failed: {result["error"]}");
        return result["ok"]!;
    }

    private string Error(string step)
    {
        var result = _results[step]!;
        Assert.True(result["error"] is not null, $"{step} was expected to fail but returned {result["ok"]?.ToJsonString()}");
        return result["error"]!.GetValue<string>();
    }
}
