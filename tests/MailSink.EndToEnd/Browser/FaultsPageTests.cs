using MailKit.Net.Smtp;
using MailSink.EndToEnd.Browser.Infrastructure;
using MailSink.EndToEnd.Browser.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailSink.EndToEnd.Browser;

/// <summary>The Faults page: a preset added from the page fails the next delivery, and its count moves live.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FaultsPageTests(BrowserFixture browser, HostFixture hostFixture) : IClassFixture<HostFixture>, IAsyncLifetime
{
    private IBrowserContext? _context;

    private MailSinkHost Host => hostFixture.Host;

    public async Task InitializeAsync()
    {
        using var response = await Host.Http.DeleteAsync("api/v1/faults");
        response.EnsureSuccessStatusCode();
        await Host.DeleteAllAsync();
    }

    public async Task DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.CloseAsync();
        }
    }

    [ChromiumFact]
    public async Task A_preset_added_from_the_page_fails_the_next_delivery_and_its_fired_count_goes_up_live()
    {
        _context = await browser.NewContextAsync();
        var faults = await new FaultsPage(await _context.NewPageAsync(), Host.BaseUrl).GotoAsync();
        await Expect(faults.Empty).ToBeVisibleAsync();

        await faults.AddPresetAsync("user-unknown", recipient: "*@bounce.example");

        var rule = faults.RuleWithPreset("user-unknown");
        await Expect(rule).ToHaveCountAsync(1);
        await Expect(rule).ToContainTextAsync("recipient *@bounce.example");
        await Expect(faults.Fired(rule)).ToHaveTextAsync("0");

        // The page's own rule refuses the recipient with the preset's reply, as MailKit reports it.
        var refused = SmtpSender.Simple("to a bounce");
        refused.To.Clear();
        refused.To.Add(new MimeKit.MailboxAddress("Gone", "gone@bounce.example"));
        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => SmtpSender.SendAsync(Host.SmtpPort, refused));
        Assert.Equal(SmtpStatusCode.MailboxUnavailable, error.StatusCode);
        Assert.StartsWith("5.1.1 ", error.Message, StringComparison.Ordinal);

        // Pushed over the hub: no reload, no polling.
        await Expect(faults.Fired(rule)).ToHaveTextAsync("1");

        // Other recipients are not matched, and the count stays.
        await SmtpSender.SendAsync(Host.SmtpPort, SmtpSender.Simple("to a normal address"));
        await Expect(faults.Fired(rule)).ToHaveTextAsync("1");

        // The sessions list marks the session where the fault fired.
        var sessions = await new SessionsPage(faults.Page, Host.BaseUrl).GotoAsync();
        await Expect(sessions.View.GetByTestId("session-faults")).ToHaveCountAsync(1);

        await faults.GotoAsync();
        await faults.DeleteAllAsync();
        await Expect(faults.Rules).ToHaveCountAsync(0);
        await Expect(faults.Empty).ToBeVisibleAsync();
    }
}
