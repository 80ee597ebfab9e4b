using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailSink.EndToEnd.Browser.Pages;

/// <summary>The Faults page: the rules in force with how often each fired, and the presets to add one from.</summary>
internal sealed class FaultsPage(IPage page, Uri baseUrl)
{
    public IPage Page { get; } = page;

    public ILocator View => Page.GetByTestId("faults-view");

    public ILocator Rules => Page.GetByTestId("fault-rule");

    public ILocator Empty => Page.GetByTestId("faults-empty");

    public async Task<FaultsPage> GotoAsync()
    {
        await Page.GotoAsync(new Uri(baseUrl, "faults").ToString());
        await Expect(View).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("fault-preset").First).ToBeVisibleAsync();
        return this;
    }

    public ILocator Preset(string name) => Page.Locator($"[data-testid='fault-preset'][data-name='{name}']");

    /// <summary>Fills a preset's recipient pattern and clicks its Add button.</summary>
    public async Task AddPresetAsync(string name, string? recipient = null)
    {
        var row = Preset(name);
        if (recipient is not null)
        {
            await row.GetByTestId("preset-recipient").FillAsync(recipient);
        }

        await row.GetByTestId("preset-add").ClickAsync();
    }

    public ILocator RuleWithPreset(string preset) => Page.Locator($"[data-testid='fault-rule'][data-preset='{preset}']");

    public ILocator Fired(ILocator rule) => rule.GetByTestId("fault-fired");

    public async Task DeleteAllAsync()
    {
        await Page.GetByTestId("faults-delete-all").ClickAsync();
        await Page.GetByTestId("confirm-button").ClickAsync();
    }
}
