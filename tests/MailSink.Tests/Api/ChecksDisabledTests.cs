using System.Net;
using System.Text.Json.Nodes;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Api;

/// <summary>With Diagnostics:Enabled=false nothing is checked: /checks says why, and the summary has no counts.</summary>
public sealed class ChecksDisabledTests : IAsyncLifetime
{
    private MailSinkApp _app = null!;

    public async Task InitializeAsync() =>
        _app = await MailSinkApp.StartAsync(null, memory: true, settings: new Dictionary<string, string?> { ["Diagnostics:Enabled"] = "false" });

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task A_message_stored_without_checks_gets_a_problem_naming_the_option_and_no_counts()
    {
        var id = await SmtpSending.SendOneAsync(_app.SmtpPort, SmtpSending.NewMessage("unchecked"));

        using var response = await _app.Http.GetAsync($"/api/v1/message/{id}/checks");
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var message = await _app.GetMessageAsync(id);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Diagnostics:Enabled", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(message["Counts"]);
    }
}
