using System.Net;
using System.Net.ServerSentEvents;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using MailSink.Realtime;
using Microsoft.Extensions.DependencyInjection;

namespace MailSink.Tests.Api.Compat;

/// <summary>
/// MailHog's live feeds against a running MailSink: /api/v1/events read with .NET's spec-following EventSource
/// parser, /api/v2/websocket with a real WebSocket client; one event per new message in MailHog's shape, and the
/// hub's Origin rule.
/// </summary>
public sealed class MailHogLiveFeedTests
{
    [Fact]
    public async Task The_event_stream_sends_each_new_message_as_one_message_event_in_MailHogs_shape()
    {
        await using var sink = await CompatMail.StartAsync();
        using var http = new HttpClient { BaseAddress = sink.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var stream = await response.Content.ReadAsStreamAsync();
        await WaitForListenerAsync(sink);

        await CompatMail.SendAsync(sink, CompatMail.Plain("ann@alpha.example", "zed@one.example", "live one", "1"), CompatMail.Plain("ann@alpha.example", "zed@one.example", "live two", "2"));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var subjects = new List<string>();
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(timeout.Token))
        {
            Assert.Equal("message", item.EventType);
            var message = JsonNode.Parse(item.Data)!;
            Assert.Equal("ann", message["From"]!["Mailbox"]!.GetValue<string>());
            Assert.Equal("zed@one.example", message["Raw"]!["To"]![0]!.GetValue<string>());
            subjects.Add(message["Content"]!["Headers"]!["Subject"]![0]!.GetValue<string>());
            if (subjects.Count == 2)
            {
                break;
            }
        }

        Assert.Equal(["live one", "live two"], subjects);
    }

    [Fact]
    public async Task The_websocket_sends_one_text_frame_per_new_message_and_lets_go_when_closed()
    {
        await using var sink = await CompatMail.StartAsync();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{sink.BaseAddress.Port}/api/v2/websocket"), CancellationToken.None);
        await WaitForListenerAsync(sink);

        await CompatMail.SendAsync(sink, CompatMail.Plain("ann@alpha.example", "zed@one.example", "over the socket", "1"));

        var buffer = new byte[256 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(WebSocketMessageType.Text, received.MessageType);
        Assert.True(received.EndOfMessage);
        var message = JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, received.Count))!;
        Assert.Equal("over the socket", message["Content"]!["Headers"]!["Subject"]![0]!.GetValue<string>());
        Assert.NotNull(message["ID"]!.GetValue<string>());

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        var feed = sink.Services.GetRequiredService<MailHogFeed>();
        for (var i = 0; i < 100 && feed.ListenerCount > 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, feed.ListenerCount);
    }

    [Theory]
    [InlineData("/api/v1/events")]
    [InlineData("/api/v2/websocket")]
    public async Task A_page_on_another_origin_is_refused(string path)
    {
        await using var sink = await CompatMail.StartAsync();
        using var http = new HttpClient { BaseAddress = sink.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", "http://evil.example");

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_websocket_from_another_origin_is_refused_before_the_upgrade()
    {
        await using var sink = await CompatMail.StartAsync();
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", "http://evil.example");

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri($"ws://127.0.0.1:{sink.BaseAddress.Port}/api/v2/websocket"), CancellationToken.None));
    }

    private static async Task WaitForListenerAsync(MailSink.Hosting.MailSinkServer sink)
    {
        var feed = sink.Services.GetRequiredService<MailHogFeed>();
        for (var i = 0; i < 200 && feed.ListenerCount == 0; i++)
        {
            await Task.Delay(25);
        }

        Assert.Equal(1, feed.ListenerCount);
    }
}
