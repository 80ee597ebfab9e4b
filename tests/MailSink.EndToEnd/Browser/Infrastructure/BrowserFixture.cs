using Microsoft.Playwright;

namespace MailSink.EndToEnd.Browser.Infrastructure;

/// <summary>
/// One headless system Chromium for the whole browser collection; each test opens its own context
/// (fresh storage, cookies and cache). Nothing is launched when Chromium is missing: the tests are skipped
/// then, or under CI=true they fail on first use with <see cref="Chromium.MissingMessage"/>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException(Chromium.MissingMessage);

    public async Task InitializeAsync()
    {
        if (Chromium.ExecutablePath is not { } path)
        {
            return;
        }

        // Generous: two shared cores, and other tests may be building or running beside these.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            Args = Chromium.LaunchArgs,
            Timeout = 60_000,
        });
    }

    /// <summary>A new context (its own storage) at the given viewport and colour scheme, with generous timeouts.</summary>
    public async Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 800, ColorScheme colorScheme = ColorScheme.Light)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = colorScheme,
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(60_000);
        return context;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>
/// Browser tests run one class at a time and apart from every other collection: the asserted budgets
/// (1 s live update, 1 s first render) are measured on two shared cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
