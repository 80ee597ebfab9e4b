using MailSink.Tests.TestHost;

namespace MailSink.Tests.Storage;

/// <summary>A second MailSink on the same data folder and LiteDB file sees the first one's messages and sessions.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "mailsink-tests", "restart-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Messages_and_sessions_survive_a_restart_on_the_same_file()
    {
        string id;
        string sessionId;
        byte[] raw;
        await using (var first = await MailSinkApp.StartAsync(_dataDirectory))
        {
            id = await SmtpSending.SendOneAsync(first.SmtpPort, SmtpSending.NewMessage("before restart", to: "keep@example.test"));
            var stored = await first.GetMessageAsync(id);
            sessionId = stored["SessionID"]!.GetValue<string>();
            await first.WaitForClosedSessionAsync(sessionId);
            raw = await first.GetRawAsync(id);
            using var read = await first.SendJsonAsync(HttpMethod.Put, "/api/v1/messages", new { IDs = new[] { id }, Read = true });
            read.EnsureSuccessStatusCode();
        }

        Assert.True(File.Exists(Path.Combine(_dataDirectory, "mailsink.db")));

        await using var second = await MailSinkApp.StartAsync(_dataDirectory);
        // Read state from the list: fetching the message itself would mark it read (Mailpit).
        var message = (await second.ListAllMessagesAsync()).Single(m => m["ID"]!.GetValue<string>() == id);
        Assert.Equal("before restart", message["Subject"]!.GetValue<string>());
        Assert.True(message["Read"]!.GetValue<bool>());
        Assert.Equal(raw, await second.GetRawAsync(id));

        var session = await second.GetJsonAsync($"/api/v1/session/{sessionId}");
        Assert.Equal("quit", session["Outcome"]!.GetValue<string>());
        Assert.Contains(session["Lines"]!.AsArray(), l => l!["Text"]!.GetValue<string>() == $"250 2.0.0 Ok: queued as {id}");
        var sessions = await second.GetJsonAsync("/api/v1/sessions");
        Assert.Contains(sessions["sessions"]!.AsArray(), s => s!["ID"]!.GetValue<string>() == sessionId);

        // The restarted instance keeps receiving into the same store.
        var after = await SmtpSending.SendOneAsync(second.SmtpPort, SmtpSending.NewMessage("after restart"));
        var list = await second.GetJsonAsync("/api/v1/messages");
        Assert.Equal(2, list["total"]!.GetValue<int>());
        Assert.Equal([after, id], list["messages"]!.AsArray().Select(m => m!["ID"]!.GetValue<string>()));
    }

    public void Dispose() => MailSinkApp.DeleteFolder(_dataDirectory);
}
