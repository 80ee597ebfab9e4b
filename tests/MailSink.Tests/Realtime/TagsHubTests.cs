using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using MailSink.Tests.TestHost;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace MailSink.Tests.Realtime;

/// <summary>Tag changes through the API reach open inboxes as messageUpdated pushes carrying the message's new tags.</summary>
public sealed class TagsHubTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    [Fact]
    public async Task Setting_renaming_and_deleting_a_tag_each_push_the_new_tags_of_the_message()
    {
        var id = await RawSmtpClient.DeliverAsync(
            app.SmtpPort, Encoding.ASCII.GetBytes("From: a@example.test\r\nTo: b@example.test\r\nSubject: hub tags\r\n\r\nx\r\n"));
        var pushes = Channel.CreateUnbounded<JsonElement>();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(app.Http.BaseAddress!, "hubs/inbox"), o =>
            {
                o.HttpMessageHandlerFactory = _ => app.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
            })
            .Build();
        hub.On<JsonElement>("messageUpdated", update => pushes.Writer.TryWrite(update));
        await hub.StartAsync();

        using (var set = await app.Http.PutAsJsonAsync("/api/v1/tags", new { IDs = new[] { id }, Tags = new[] { "hub", "other" } }))
        {
            set.EnsureSuccessStatusCode();
        }

        await NextTagsAsync(pushes, id, ["hub", "other"]);

        using (var rename = await app.Http.PutAsJsonAsync("/api/v1/tags/hub", new { Name = "renamed" }))
        {
            rename.EnsureSuccessStatusCode();
        }

        await NextTagsAsync(pushes, id, ["other", "renamed"]);

        using (var delete = await app.Http.DeleteAsync("/api/v1/tags/other"))
        {
            delete.EnsureSuccessStatusCode();
        }

        await NextTagsAsync(pushes, id, ["renamed"]);
    }

    private static async Task NextTagsAsync(Channel<JsonElement> pushes, string id, string[] expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var update = await pushes.Reader.ReadAsync(timeout.Token);
        Assert.Equal(id, update.GetProperty("id").GetString());
        Assert.Equal(expected, update.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray());
    }
}
