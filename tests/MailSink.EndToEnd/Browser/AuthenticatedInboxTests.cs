using System.Net.Http.Headers;
using MailSink.EndToEnd.Browser.Infrastructure;
using MailSink.EndToEnd.Browser.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailSink.EndToEnd.Browser;

/// <summary>
/// The inbox behind Web authentication, in the real browser: with the credentials (answered to the Basic
/// challenge, given in the URL, or sent as a bearer token header) it loads and follows new mail over the hub;
/// without them the browser gets the 401 and no inbox.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AuthenticatedInboxTests(BrowserFixture browser) : IAsyncLifetime
{
    // Written by Apache's `htpasswd -nbB -C 5 dev 's3cret-password'`.
    private const string UsersLine = "dev:$2y$05$dYxh.h2R53G7xa7HTUGINu5D422ZWvvvY2kDenSgNsDncwDAaBvya";
    private const string User = "dev";
    private const string Password = "s3cret-password";
    private const string Token = "browser-token-0123456789abcdef";

    private readonly string _usersFile = Path.Combine(Path.GetTempPath(), $"mailsink-e2e-users-{Guid.NewGuid():N}.htpasswd");
    private readonly List<IBrowserContext> _contexts = [];
    private MailSinkHost? _host;

    private MailSinkHost Host => _host ?? throw new InvalidOperationException(Chromium.MissingMessage);

    public async Task InitializeAsync()
    {
        if (Chromium.ExecutablePath is null)
        {
            return;
        }

        await File.WriteAllTextAsync(_usersFile, UsersLine + "\n");
        _host = await MailSinkHost.StartAsync(
            extraArguments: [$"--Web:HtpasswdFile={_usersFile}", $"--Web:ApiToken={Token}"],
            authorization: new AuthenticationHeaderValue("Bearer", Token));
    }

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        File.Delete(_usersFile);
    }

    [ChromiumFact]
    public async Task With_basic_credentials_answered_to_the_challenge_the_inbox_loads_and_shows_new_mail_live()
    {
        var page = await NewPageAsync(new BrowserNewContextOptions { HttpCredentials = new HttpCredentials { Username = User, Password = Password } });

        var inbox = await new InboxPage(page, Host.BaseUrl).GotoAsync();

        await ExpectLiveMailAsync(inbox);
    }

    [ChromiumFact]
    public async Task With_credentials_in_the_url_the_inbox_loads_and_shows_new_mail_live()
    {
        var page = await NewPageAsync();
        var withCredentials = new UriBuilder(Host.BaseUrl) { UserName = User, Password = Password }.Uri;

        await page.GotoAsync(withCredentials.ToString());

        // The hub's URL must not inherit the credentials from the document's base URL (fetch refuses such URLs).
        Assert.Contains($"{User}:{Password}@", await page.EvaluateAsync<string>("() => document.baseURI"));
        var inbox = new InboxPage(page, Host.BaseUrl);
        await inbox.WaitUntilLiveAsync();

        await ExpectLiveMailAsync(inbox);
    }

    [ChromiumFact]
    public async Task With_the_token_as_an_extra_header_the_inbox_loads_and_shows_new_mail_live()
    {
        var page = await NewPageAsync(new BrowserNewContextOptions
        {
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {Token}" },
        });

        var inbox = await new InboxPage(page, Host.BaseUrl).GotoAsync();

        await ExpectLiveMailAsync(inbox);
    }

    [ChromiumFact]
    public async Task Without_credentials_the_browser_is_challenged_and_gets_no_inbox()
    {
        var page = await NewPageAsync();
        var challenges = new List<string>();
        page.Response += (_, r) => challenges.Add($"{r.Status} {r.Headers.GetValueOrDefault("www-authenticate")}");

        var challenged = await Assert.ThrowsAsync<PlaywrightException>(() => page.GotoAsync(Host.BaseUrl.ToString()));

        // Headless Chromium has no one to ask for a password: the Basic challenge ends the navigation.
        Assert.Contains("ERR_INVALID_AUTH_CREDENTIALS", challenged.Message);
        Assert.Contains(challenges, c => c.StartsWith("401 ", StringComparison.Ordinal) && c.Contains("Basic realm=\"MailSink\"", StringComparison.Ordinal));
        await Expect(page.GetByTestId("message-list")).ToHaveCountAsync(0);
    }

    private async Task ExpectLiveMailAsync(InboxPage inbox)
    {
        var subject = $"Behind auth {Guid.NewGuid():N}";
        var delivery = await SmtpSender.SendAsync(Host.SmtpPort, SmtpSender.Simple(subject));

        // Arrives over the hub (the page is not reloaded), which therefore accepted the browser's credentials.
        await Expect(inbox.Row(delivery.MessageId).GetByTestId("row-subject")).ToHaveTextAsync(subject);
    }

    private async Task<IPage> NewPageAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.ViewportSize = new ViewportSize { Width = 1280, Height = 800 };
        options.Locale = "en-US";
        options.TimezoneId = "UTC";
        var context = await browser.Browser.NewContextAsync(options);
        context.SetDefaultTimeout(30_000);
        _contexts.Add(context);
        return await context.NewPageAsync();
    }
}
