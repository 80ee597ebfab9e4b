using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailSink.EndToEnd.Browser.Pages;

/// <summary>One open message: its tabs (HTML, Received, Transcript, ...) and their panels.</summary>
internal sealed class MessagePage(IPage page, string id)
{
    public IPage Page { get; } = page;

    public string Id { get; } = id;

    public ILocator View => Page.Locator($"[data-testid=message-view][data-id=\"{Id}\"]");

    public ILocator Subject => View.GetByTestId("message-subject");

    public ILocator HtmlFrameElement => View.GetByTestId("html-frame");

    public IFrameLocator HtmlFrame => View.FrameLocator("[data-testid=html-frame]");

    public ILocator RemoteToggle => View.GetByTestId("remote-toggle");

    public ILocator TranscriptLines => View.GetByTestId("panel-transcript").GetByTestId("transcript-line");

    public ILocator Hops => View.GetByTestId("panel-received").GetByTestId("hop-item");

    public ILocator Tags => View.GetByTestId("message-tag");

    public ILocator Tag(string name) => View.Locator($"[data-testid=message-tag][data-tag=\"{name}\"]");

    public async Task AddTagAsync(string name)
    {
        await View.GetByTestId("tag-input").FillAsync(name);
        await View.GetByTestId("tag-add").ClickAsync();
        await Expect(Tag(name)).ToBeVisibleAsync();
    }

    public async Task RemoveTagAsync(string name)
    {
        await Tag(name).GetByTestId("tag-remove").ClickAsync();
        await Expect(Tag(name)).ToHaveCountAsync(0);
    }

    public async Task WaitLoadedAsync()
    {
        await Expect(View).ToBeVisibleAsync();
        await Expect(Subject).ToBeVisibleAsync();
    }

    public async Task<ILocator> ShowTabAsync(string key)
    {
        await View.GetByTestId($"tab-{key}").ClickAsync();
        var panel = View.GetByTestId($"panel-{key}");
        await Expect(panel).ToBeVisibleAsync();
        return panel;
    }

    /// <summary>The iframe's Playwright frame (reachable through CDP even though the page's own scripts cannot reach it).</summary>
    public async Task<IFrame> HtmlFrameAsync()
    {
        var handle = await HtmlFrameElement.ElementHandleAsync();
        return await handle.ContentFrameAsync() ?? throw new InvalidOperationException("The HTML iframe has no content frame.");
    }
}
