using System.Globalization;
using System.Text.RegularExpressions;
using MailSink.EndToEnd.Browser.Infrastructure;
using MailSink.EndToEnd.Browser.Pages;
using Microsoft.Playwright;
using MimeKit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MailSink.EndToEnd.Browser;

/// <summary>
/// Screenshots of the inbox and a message's HTML, Received and Transcript tabs in light and dark, and at a
/// 390 px phone width, written to test-output/screenshots/ for a person to look at (the README shows one).
/// Each also checks the theme really applied, so a broken theme fails here rather than only looking wrong.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ScreenshotTests(BrowserFixture browser, HostFixture hostFixture, ITestOutputHelper output)
    : IClassFixture<HostFixture>, IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];

    private MailSinkHost Host => hostFixture.Host;

    private string _showcaseId = "";

    public async Task InitializeAsync()
    {
        if (Chromium.SkipReason is not null)
        {
            return;
        }

        await Host.DeleteAllAsync();
        await SmtpSender.SendAsync(Host.SmtpPort, SmtpSender.Simple("Your password reset code", text: "Use 482913 to reset your password. It expires in 10 minutes."));
        await SmtpSender.SendAsync(Host.SmtpPort, WithAttachment());
        await SmtpSender.SendAsync(Host.SmtpPort, SmtpSender.Simple("Welcome to Acme, Dev!", "<h1>Welcome</h1><p>Thanks for signing up.</p>"));
        _showcaseId = (await SmtpSender.SendAsync(Host.SmtpPort, Showcase())).MessageId;
    }

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
    }

    [ChromiumFact]
    public Task Light_theme_screenshots() => CaptureThemeAsync("light");

    [ChromiumFact]
    public Task Dark_theme_screenshots() => CaptureThemeAsync("dark");

    [ChromiumFact]
    public async Task Phone_width_screenshots()
    {
        var inbox = await OpenInboxAsync(390, 844, ColorScheme.Light);
        await inbox.SetThemeAsync("light");
        await Expect(inbox.Rows).ToHaveCountAsync(4);

        // Nothing may stick out sideways at 390 px.
        var overflow = await inbox.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"The inbox is {overflow} px wider than a 390 px phone screen.");
        var readTop = (await inbox.Page.GetByTestId("mark-read").BoundingBoxAsync())!.Y;
        var deleteAllTop = (await inbox.Page.GetByTestId("delete-all").BoundingBoxAsync())!.Y;
        Assert.True(Math.Abs(readTop - deleteAllTop) < 2, $"The list toolbar wraps at 390 px (Read at y={readTop}, Delete all at y={deleteAllTop}).");
        await ShotAsync(inbox.Page, "phone-inbox-light");

        var message = await inbox.OpenAsync(_showcaseId);
        await message.ShowTabAsync("html");
        await Expect(message.HtmlFrame.Locator("h1")).ToBeVisibleAsync();
        await Expect(message.View).ToBeInViewportAsync(new() { Ratio = 0.5f });
        overflow = await inbox.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"The message view is {overflow} px wider than a 390 px phone screen.");
        await ShotAsync(inbox.Page, "phone-message-html-light");

        await message.ShowTabAsync("transcript");
        await Expect(message.TranscriptLines.First).ToBeVisibleAsync();
        await ShotAsync(inbox.Page, "phone-message-transcript-light");
    }

    private async Task CaptureThemeAsync(string theme)
    {
        var inbox = await OpenInboxAsync(1280, 800, theme == "dark" ? ColorScheme.Dark : ColorScheme.Light);
        await inbox.SetThemeAsync(theme);
        await Expect(inbox.Rows).ToHaveCountAsync(4);
        await AssertBackgroundAsync(inbox.Page, theme);
        await ShotAsync(inbox.Page, $"inbox-{theme}");

        var message = await inbox.OpenAsync(_showcaseId);
        await message.ShowTabAsync("html");
        await Expect(message.HtmlFrame.Locator("h1")).ToHaveTextAsync("Your order has shipped");
        await ShotAsync(inbox.Page, $"message-html-{theme}");

        await message.ShowTabAsync("received");
        await Expect(message.Hops).ToHaveCountAsync(3);
        await ShotAsync(inbox.Page, $"message-received-{theme}");

        await message.ShowTabAsync("transcript");
        await Expect(message.TranscriptLines.Last).ToContainTextAsync($"queued as {_showcaseId}");
        await ShotAsync(inbox.Page, $"message-transcript-{theme}");

        var sessions = await new SessionsPage(inbox.Page, Host.BaseUrl).GotoAsync();
        await Expect(sessions.Rows).ToHaveCountAsync(4);
        await AssertBackgroundAsync(inbox.Page, theme);
        await ShotAsync(inbox.Page, $"sessions-{theme}");

        // A session opens on its whole transcript, greeting first.
        var lines = await sessions.OpenAsync(0);
        await Expect(lines.First).ToContainTextAsync($"220 {MailSinkHost.Hostname}");
        await Expect(lines.Filter(new() { HasTextRegex = new Regex("^[0-9:.]+S:\\s*221 ") })).ToHaveCountAsync(1);
        await Expect(lines.Last).ToContainTextAsync("Session ended");
    }

    private static async Task AssertBackgroundAsync(IPage page, string theme)
    {
        var color = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        var match = Rgb().Match(color);
        Assert.True(match.Success, $"Unexpected background colour '{color}'.");
        var luminance = (0.2126 * Channel(match, 1)) + (0.7152 * Channel(match, 2)) + (0.0722 * Channel(match, 3));
        if (theme == "dark")
        {
            Assert.True(luminance < 60, $"The dark theme's background is {color}, not dark.");
        }
        else
        {
            Assert.True(luminance > 200, $"The light theme's background is {color}, not light.");
        }
    }

    private static double Channel(Match match, int group) => double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    private async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(RepoPaths.Screenshots);
        var path = Path.Combine(RepoPaths.Screenshots, name + ".png");
        // Let transitions and the iframe's layout settle; the screenshot is for a person, not a pixel diff.
        await page.WaitForTimeoutAsync(300);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, Animations = ScreenshotAnimations.Disabled });
        Assert.True(new FileInfo(path).Length > 5_000, $"{path} is suspiciously small.");
        output.WriteLine($"screenshot: {path}");
    }

    private async Task<InboxPage> OpenInboxAsync(int width, int height, ColorScheme scheme)
    {
        var context = await browser.NewContextAsync(width, height, scheme);
        _contexts.Add(context);
        return await new InboxPage(await context.NewPageAsync(), Host.BaseUrl).GotoAsync();
    }

    /// <summary>A realistic transactional email: styled HTML, a text part, and two relays before MailSink.</summary>
    private static string Showcase() => $"""
        Received: from mta-out-3.shop.example (mta-out-3.shop.example [198.51.100.23]) by mx1.relay.example (Postfix) with ESMTPS id 9F3A2C01 for <dev@example.com>; {Rfc5322(-2)}
        Received: from app-worker-7.internal (app-worker-7.internal [10.0.4.17]) by mta-out-3.shop.example with ESMTP id 7BC1D4; {Rfc5322(-7)}
        From: Acme Shop <orders@shop.example>
        To: Dev Person <dev@example.com>
        Subject: Your order #10442 has shipped
        Date: {Rfc5322(-8)}
        Message-ID: <order-10442-shipped@shop.example>
        MIME-Version: 1.0
        Content-Type: multipart/alternative; boundary="b1"

        --b1
        Content-Type: text/plain; charset=utf-8

        Your order has shipped. Track it at https://shop.example/track/10442

        --b1
        Content-Type: text/html; charset=utf-8

        <html><body style="font-family: Helvetica, Arial, sans-serif; background:#f4f4f7; margin:0; padding:24px">
        <table role="presentation" width="100%" style="max-width:560px; margin:0 auto; background:#ffffff; border-radius:8px; padding:24px">
        <tr><td>
        <h1 style="color:#1f2937; font-size:22px">Your order has shipped</h1>
        <p style="color:#4b5563">Hi Dev, good news: order <b>#10442</b> is on its way and should arrive on Tuesday.</p>
        <p><a href="https://shop.example/track/10442" style="display:inline-block; background:#2563eb; color:#fff; padding:10px 18px; border-radius:6px; text-decoration:none">Track your parcel</a></p>
        <img src="https://cdn.shop.example/banner.png" width="480" height="80" alt="Acme banner">
        <p style="color:#9ca3af; font-size:12px">Acme Shop, 1 Example Street. You get this email because you ordered from us.</p>
        </td></tr></table>
        </body></html>
        --b1--
        """;

    /// <summary>Seconds from now, as a Date or Received header writes it, so the hop delays look real.</summary>
    private static string Rfc5322(int seconds) =>
        DateTimeOffset.UtcNow.AddSeconds(seconds).ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture);

    private static MimeMessage WithAttachment()
    {
        var message = SmtpSender.Simple("Invoice INV-2026-0042", "<p>Your invoice is attached.</p>", "Your invoice is attached.");
        var builder = new BodyBuilder { TextBody = "Your invoice is attached.", HtmlBody = "<p>Your invoice is attached.</p>" };
        builder.Attachments.Add("INV-2026-0042.pdf", "%PDF-1.4 fake"u8.ToArray(), new ContentType("application", "pdf"));
        message.Body = builder.ToMessageBody();
        return message;
    }

    [GeneratedRegex(@"rgba?\((\d+),\s*(\d+),\s*(\d+)")]
    private static partial Regex Rgb();
}
