using System.Text.Json.Nodes;
using MailSink.EndToEnd.Browser.Infrastructure;
using MailSink.EndToEnd.Browser.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailSink.EndToEnd.Browser;

/// <summary>Tags in the web inbox: shown as chips, edited in the message view, live in other tabs, searchable by a click.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TagsTests(BrowserFixture browser, HostFixture hostFixture) : IClassFixture<HostFixture>, IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];

    private MailSinkHost Host => hostFixture.Host;

    public Task InitializeAsync() => Host.DeleteAllAsync();

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
    }

    [ChromiumFact]
    public async Task X_Tags_show_as_chips_a_tag_added_in_the_ui_reaches_the_api_and_other_tabs_and_a_click_searches_it()
    {
        var tagged = await SmtpSender.SendAsync(Host.SmtpPort, """
            From: app@example.com
            To: dev@example.com
            X-Tags: release, qa
            Subject: Tagged by the app

            Hello
            """);
        var other = await SmtpSender.SendAsync(Host.SmtpPort, SmtpSender.Simple("Not tagged"));

        // A second inbox stays on the list: it must see the tag added in the first without a reload.
        var watcher = await new InboxPage(await NewPageAsync(), Host.BaseUrl).GotoAsync();
        await Expect(watcher.RowTags(tagged.MessageId)).ToHaveTextAsync(["qa", "release"]);
        await Expect(watcher.RowTags(other.MessageId)).ToHaveCountAsync(0);

        var inbox = await new InboxPage(await NewPageAsync(), Host.BaseUrl).GotoAsync();
        var message = await inbox.OpenAsync(tagged.MessageId);
        await Expect(message.Tags).ToHaveTextAsync(["qa×", "release×"]);

        await message.AddTagAsync("from ui");
        Assert.Equal(["from ui", "qa", "release"], await ApiTagsAsync(tagged.MessageId));
        await Expect(watcher.RowTags(tagged.MessageId)).ToHaveTextAsync(["from ui", "qa", "release"]);
        Directory.CreateDirectory(RepoPaths.Screenshots);
        await message.Page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Screenshots, "message-tags-light.png") });

        await message.RemoveTagAsync("qa");
        Assert.Equal(["from ui", "release"], await ApiTagsAsync(tagged.MessageId));
        await Expect(watcher.RowTags(tagged.MessageId)).ToHaveTextAsync(["from ui", "release"]);

        // A click on a chip shows the inbox filtered to that tag.
        await message.Tag("from ui").GetByRole(AriaRole.Button, new() { Name = "from ui", Exact = true }).ClickAsync();
        await Expect(inbox.SearchBox).ToHaveValueAsync("tag:\"from ui\"");
        await Expect(inbox.Rows).ToHaveCountAsync(1);
        await Expect(inbox.Row(tagged.MessageId)).ToBeVisibleAsync();

        // And from the list row of the other tab.
        await watcher.RowTags(tagged.MessageId).Filter(new() { HasText = "release" }).ClickAsync();
        await Expect(watcher.SearchBox).ToHaveValueAsync("tag:release");
        await Expect(watcher.Rows).ToHaveCountAsync(1);
    }

    private async Task<string[]> ApiTagsAsync(string id)
    {
        var message = JsonNode.Parse(await Host.Http.GetStringAsync($"api/v1/message/{id}"))!;
        return message["Tags"]!.AsArray().Select(t => t!.GetValue<string>()).ToArray();
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await browser.NewContextAsync();
        _contexts.Add(context);
        return await context.NewPageAsync();
    }
}
