using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailSink.EndToEnd.Browser.Pages;

/// <summary>The sessions view: every SMTP connection and its outcome.</summary>
internal sealed class SessionsPage(IPage page, Uri baseUrl)
{
    public IPage Page { get; } = page;

    public ILocator View => Page.GetByTestId("sessions-view");

    public ILocator Rows => Page.GetByTestId("session-row");

    public async Task<SessionsPage> GotoAsync()
    {
        await Page.GotoAsync(new Uri(baseUrl, "sessions").ToString());
        await Expect(View).ToBeVisibleAsync();
        return this;
    }

    /// <summary>Opens a session's whole transcript.</summary>
    public async Task<ILocator> OpenAsync(int index)
    {
        await Rows.Nth(index).ClickAsync();
        var lines = Page.GetByTestId("transcript-line");
        await Expect(lines.First).ToBeVisibleAsync();
        return lines;
    }
}
