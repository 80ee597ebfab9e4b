using System.Net.Http.Json;
using System.Text.Json;
using MailSink.EndToEnd.Browser.Infrastructure;
using MailSink.EndToEnd.Browser.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailSink.EndToEnd.Browser;

/// <summary>
/// A page on another origin, in the real browser, against the real process: it cannot frame the inbox
/// (issue 13, defect 8: two clicks in an invisible frame deleted all mail), and it cannot read or delete
/// mail through the API. A same-origin frame still works, so the refusal is the policy, not a broken frame.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CrossOriginTests(BrowserFixture browser, HostFixture hostFixture) : IClassFixture<HostFixture>, IAsyncLifetime
{
    private IBrowserContext? _context;

    private MailSinkHost Host => hostFixture.Host;

    public Task InitializeAsync() => Host.DeleteAllAsync();

    public async Task DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.CloseAsync();
        }
    }

    [ChromiumFact]
    public async Task A_page_on_another_origin_cannot_frame_the_inbox_and_clicks_on_it_delete_nothing()
    {
        await SmtpSender.SendAsync(Host.SmtpPort, SmtpSender.Simple("Keep me"));
        await using var site = new ForeignSite($"""
            <!doctype html><title>Win a prize</title>
            <iframe id="inbox" src="{Host.BaseUrl}" style="position:absolute;top:0;left:0;width:1200px;height:700px;opacity:0.5"></iframe>
            """);
        var page = await NewPageAsync();
        var refusals = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("frame-ancestors", StringComparison.Ordinal))
            {
                refusals.Add(message.Text);
            }
        };

        await page.GotoAsync(site.Url);
        var frame = await InboxFrameAsync(page);

        // Chromium replaced the inbox with its own error page and said why on the console.
        await Expect(page.Locator("#inbox")).ToBeAttachedAsync();
        Assert.False(frame.Url.StartsWith(Host.BaseUrl.ToString(), StringComparison.Ordinal), $"The frame shows {frame.Url}");
        Assert.Equal(0, await frame.Locator("[data-testid=message-list]").CountAsync());
        await WaitForAsync(() => refusals.Count > 0, "Chromium to report the frame-ancestors refusal on the console");

        // The clickjacking attempt: clicks where the inbox's toolbar would be reach nothing.
        await page.Mouse.ClickAsync(200, 60);
        await page.Mouse.ClickAsync(600, 300);
        Assert.Equal(1, await CountMessagesAsync());
    }

    [ChromiumFact]
    public async Task The_inbox_own_origin_may_still_frame_it()
    {
        // The control for the test above: the same detection sees an inbox when the policy allows the frame.
        var page = await NewPageAsync();
        var inbox = await new InboxPage(page, Host.BaseUrl).GotoAsync();
        await inbox.Page.EvaluateAsync("""
            url => { const f = document.createElement('iframe'); f.id = 'inbox'; f.src = url; f.style.width = '900px'; f.style.height = '600px'; document.body.append(f) }
            """, Host.BaseUrl.ToString());

        var frame = await InboxFrameAsync(page);

        await Expect(frame.Locator("[data-testid=message-list]")).ToBeVisibleAsync();
        Assert.StartsWith(Host.BaseUrl.ToString(), frame.Url, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task A_page_on_another_origin_can_neither_read_nor_delete_mail_through_the_api()
    {
        await SmtpSender.SendAsync(Host.SmtpPort, SmtpSender.Simple("Secret subject"));
        await using var site = new ForeignSite("<!doctype html><title>Elsewhere</title><p>elsewhere</p>");
        var page = await NewPageAsync();
        await page.GotoAsync(site.Url);

        var read = await page.EvaluateAsync<string>("""
            url => fetch(url + 'api/v1/messages').then(r => r.text()).then(t => 'read: ' + t, e => 'refused: ' + e.name)
            """, Host.BaseUrl.ToString());
        var delete = await page.EvaluateAsync<string>("""
            url => fetch(url + 'api/v1/messages', { method: 'DELETE' }).then(r => 'status: ' + r.status, e => 'refused: ' + e.name)
            """, Host.BaseUrl.ToString());

        Assert.Equal("refused: TypeError", read);
        Assert.Equal("refused: TypeError", delete);
        Assert.Equal(1, await CountMessagesAsync());
    }

    private async Task<IPage> NewPageAsync()
    {
        _context = await browser.NewContextAsync();
        return await _context.NewPageAsync();
    }

    /// <summary>The iframe's own frame, once it has finished loading whatever the browser let it load.</summary>
    private static async Task<IFrame> InboxFrameAsync(IPage page)
    {
        var handle = await page.Locator("#inbox").ElementHandleAsync();
        await WaitForAsync(async () => await handle.ContentFrameAsync() is { } f && f.Url != "about:blank", "the iframe to navigate");
        var frame = (await handle.ContentFrameAsync())!;
        await frame.WaitForLoadStateAsync(LoadState.Load);
        return frame;
    }

    private async Task<int> CountMessagesAsync()
    {
        var page = await Host.Http.GetFromJsonAsync<JsonElement>("api/v1/messages");
        return page.GetProperty("total").GetInt32();
    }

    private static Task WaitForAsync(Func<bool> condition, string what) => WaitForAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(50);
        }
    }
}
