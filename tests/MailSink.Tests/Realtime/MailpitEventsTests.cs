using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Realtime;

/// <summary>Mailpit's live feed, GET /api/events: {Type, Data} frames over a WebSocket, origin-checked like the hub.</summary>
public sealed class MailpitEventsTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    [Fact]
    public async Task New_update_delete_truncate_and_stats_frames_follow_the_mailbox()
    {
        using var socket = await ConnectAsync(origin: null);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var id = await SendAsync("live one");
        var created = await NextAsync(socket, "new", timeout.Token);
        Assert.Equal(id, created["ID"]!.GetValue<string>());
        Assert.Equal("live one", created["Subject"]!.GetValue<string>());
        Assert.False(created["Read"]!.GetValue<bool>());
        var stats = await NextAsync(socket, "stats", timeout.Token);
        Assert.True(stats["Total"]!.GetValue<int>() >= 1);
        Assert.True(stats["Unread"]!.GetValue<int>() >= 1);
        Assert.False(string.IsNullOrEmpty(stats["Version"]!.GetValue<string>()));

        using (var read = await app.Http.PutAsJsonAsync("/api/v1/messages", new { IDs = new[] { id }, Read = true }))
        {
            read.EnsureSuccessStatusCode();
        }

        var updated = await NextAsync(socket, "update", timeout.Token);
        Assert.Equal(id, updated["ID"]!.GetValue<string>());
        Assert.True(updated["Read"]!.GetValue<bool>());

        using (var delete = await app.Http.DeleteAsync($"/api/v1/message/{id}"))
        {
            delete.EnsureSuccessStatusCode();
        }

        Assert.Equal(id, (await NextAsync(socket, "delete", timeout.Token))["ID"]!.GetValue<string>());

        await SendAsync("live two");
        await NextAsync(socket, "new", timeout.Token);
        await app.DeleteAllMessagesAsync();
        await NextAsync(socket, "truncate", timeout.Token);
        var after = await NextAsync(socket, "stats", timeout.Token);
        Assert.Equal(0, after["Total"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("null")]
    public async Task A_foreign_origin_is_refused_before_the_upgrade(string origin)
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(origin));
        Assert.Contains("403", refused.Message);
    }

    [Fact]
    public async Task The_inbox_own_origin_may_open_the_feed()
    {
        using var socket = await ConnectAsync(app.Http.BaseAddress!.GetLeftPart(UriPartial.Authority));
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task A_plain_GET_is_told_to_open_a_WebSocket()
    {
        using var response = await app.Http.GetAsync("/api/events");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<WebSocket> ConnectAsync(string? origin)
    {
        var client = app.CreateWebSocketClient();
        if (origin is not null)
        {
            client.ConfigureRequest = request => request.Headers.Origin = origin;
        }

        var url = new UriBuilder(new Uri(app.Http.BaseAddress!, "/api/events")) { Scheme = "ws" }.Uri;
        return await client.ConnectAsync(url, CancellationToken.None);
    }

    /// <summary>The Data of the next frame of <paramref name="type"/>, skipping other types (stats come when they come).</summary>
    private static async Task<JsonNode> NextAsync(WebSocket socket, string type, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, cancellationToken);
                await message.WriteAsync(buffer.AsMemory(0, result.Count), cancellationToken);
            }
            while (!result.EndOfMessage);

            var frame = JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray()))!;
            Assert.Equal(["Type", "Data"], frame.AsObject().Select(p => p.Key));
            if (frame["Type"]!.GetValue<string>() == type)
            {
                return frame["Data"] ?? new JsonObject();
            }
        }
    }

    private async Task<string> SendAsync(string subject)
    {
        using var response = await app.Http.PostAsJsonAsync("/api/v1/send", new { From = new { Email = "a@example.test" }, To = new[] { new { Email = "b@example.test" } }, Subject = subject, Text = "x" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["ID"]!.GetValue<string>();
    }
}
