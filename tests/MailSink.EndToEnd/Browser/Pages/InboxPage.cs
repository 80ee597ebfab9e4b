using System.Globalization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailSink.EndToEnd.Browser.Pages;

/// <summary>The inbox: header (unread badge, search, live status), the message list and its toolbar.</summary>
internal sealed class InboxPage(IPage page, Uri baseUrl)
{
    public IPage Page { get; } = page;

    public ILocator List => Page.GetByTestId("message-list");

    public ILocator Rows => Page.GetByTestId("message-row");

    public ILocator EmptyList => Page.GetByTestId("empty-list");

    public ILocator UnreadBadge => Page.GetByTestId("unread-count");

    public ILocator ConnectionStatus => Page.GetByTestId("connection-status");

    public ILocator SearchBox => Page.GetByTestId("search-box");

    public ILocator Row(string id) => Page.Locator($"[data-testid=message-row][data-id=\"{id}\"]");

    public ILocator RowSubjects => Rows.GetByTestId("row-subject");

    public ILocator RowTags(string id) => Row(id).GetByTestId("row-tag");

    /// <summary>Opens the inbox and waits until the list has loaded and live updates are connected.</summary>
    public async Task<InboxPage> GotoAsync()
    {
        await Page.GotoAsync(baseUrl.ToString());
        await WaitUntilLiveAsync();
        return this;
    }

    public async Task WaitUntilLiveAsync()
    {
        await Expect(List).ToBeVisibleAsync();
        await Expect(ConnectionStatus).ToHaveAttributeAsync("data-status", "connected");
    }

    public async Task<int> UnreadCountAsync() =>
        int.Parse(await UnreadBadge.GetAttributeAsync("data-count") ?? "-1", CultureInfo.InvariantCulture);

    /// <summary>Sets a marker on the window; it survives only as long as the page is not reloaded.</summary>
    public Task MarkDocumentAsync() => Page.EvaluateAsync("() => { window.__mailsinkNoReload = true }");

    public Task<bool> IsSameDocumentAsync() => Page.EvaluateAsync<bool>("() => window.__mailsinkNoReload === true");

    /// <summary>
    /// Starts watching for a row with this subject. The returned task completes with the page's clock
    /// (Unix ms) at the first animation frame after the row entered the DOM, i.e. when it could be seen:
    /// a MutationObserver, so the measure carries no polling delay.
    /// </summary>
    public async Task<Func<Task<double>>> WatchForRowAsync(string subject, int timeoutMs = 15_000)
    {
        await Page.EvaluateAsync(
            """
            ([subject, timeoutMs]) => {
              const found = () => [...document.querySelectorAll('[data-testid=message-row] [data-testid=row-subject]')]
                .some(el => el.textContent === subject)
              window.__mailsinkRowSeen = new Promise(resolve => {
                const done = () => requestAnimationFrame(() => resolve(Date.now()))
                if (found()) return done()
                const observer = new MutationObserver(() => {
                  if (found()) { observer.disconnect(); done() }
                })
                observer.observe(document.body, { childList: true, subtree: true, characterData: true })
                setTimeout(() => { observer.disconnect(); resolve(-1) }, timeoutMs)
              })
            }
            """,
            new object[] { subject, timeoutMs });
        return () => Page.EvaluateAsync<double>("() => window.__mailsinkRowSeen");
    }

    public async Task SearchAsync(string query)
    {
        await SearchBox.FillAsync(query);
    }

    public async Task DeleteAllAsync()
    {
        await Page.GetByTestId("delete-all").ClickAsync();
        var dialog = Page.GetByTestId("confirm-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByTestId("confirm-button").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
    }

    public async Task<MessagePage> OpenAsync(string id)
    {
        await Row(id).ClickAsync();
        var message = new MessagePage(Page, id);
        await message.WaitLoadedAsync();
        return message;
    }

    /// <summary>Scrolls the virtual list so that row <paramref name="index"/> is near the top.</summary>
    public Task ScrollToRowAsync(int index) =>
        List.EvaluateAsync("(el, index) => { el.scrollTop = index * 76; el.dispatchEvent(new Event('scroll')) }", index);

    public async Task SetThemeAsync(string theme)
    {
        // The toggle cycles auto -> light -> dark; click until the document says the wanted one.
        for (var i = 0; i < 3 && await Page.EvaluateAsync<string>("() => document.documentElement.dataset.theme") != theme; i++)
        {
            await Page.GetByTestId("theme-toggle").ClickAsync();
        }

        await Expect(Page.Locator("html")).ToHaveAttributeAsync("data-theme", theme);
    }
}
