using MailSink.EndToEnd.Browser.Infrastructure;
using MailSink.EndToEnd.Browser.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MailSink.EndToEnd.Browser;

/// <summary>One message, as a mail-server engineer reads it: the HTML safely, the transcript, the Received chain.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MessageViewTests(BrowserFixture browser, HostFixture hostFixture, ITestOutputHelper output)
    : IClassFixture<HostFixture>, IAsyncLifetime
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
    public async Task Hostile_html_renders_in_a_sandboxed_frame_and_runs_nothing()
    {
        await using var canary = new CanaryServer();
        var html = $$"""
            <html><head><style>.box { background: url({{canary.Url}}/css-background.gif) }</style></head>
            <body>
              <h1 id="greeting">Hello from a hostile email</h1>
              <script>window.top.pwned = 'script'; parent.document.title = 'pwned'; localStorage.setItem('pwned', 'script'); new Image().src = '{{canary.Url}}/script-ran';</script>
              <img id="broken" src="x" onerror="window.top.pwned = 'onerror'; parent.document.title = 'pwned'; new Image().src = '{{canary.Url}}/onerror-ran'">
              <img id="remote" src="{{canary.Url}}/remote-image.gif" alt="remote">
              <div class="box">styled</div>
              <p><a id="js-link" href="javascript:window.top.pwned='link';parent.document.title='pwned';new Image().src='{{canary.Url}}/link-ran'">click me</a></p>
              <svg><script>window.top.pwned = 'svg'</script></svg>
              <iframe srcdoc="<script>top.pwned='nested'</script>"></iframe>
            </body></html>
            """;
        var delivery = await SmtpSender.SendAsync(Host.SmtpPort, SmtpSender.Simple("Hostile HTML", html));

        var page = await NewPageAsync();
        var consoleLines = new List<string>();
        page.Console += (_, message) => consoleLines.Add($"{message.Type}: {message.Text}");
        var inbox = await new InboxPage(page, Host.BaseUrl).GotoAsync();
        var message = await inbox.OpenAsync(delivery.MessageId);
        await message.ShowTabAsync("html");

        // The frame is sandboxed with no tokens at all: above all neither allow-scripts nor allow-same-origin.
        var sandbox = await message.HtmlFrameElement.GetAttributeAsync("sandbox");
        Assert.NotNull(sandbox);
        var tokens = sandbox.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain("allow-scripts", tokens);
        Assert.DoesNotContain("allow-same-origin", tokens);
        Assert.Empty(tokens);

        // The content did render (a test that sees an empty frame would prove nothing).
        await Expect(message.HtmlFrame.Locator("#greeting")).ToHaveTextAsync("Hello from a hostile email");
        await Expect(message.HtmlFrame.Locator("#js-link")).ToBeVisibleAsync();

        // Click the javascript: link inside the frame; in a frame without allow-scripts it must do nothing.
        await message.HtmlFrame.Locator("#js-link").ClickAsync();

        // Give anything that could run a generous moment, then look for every trace it would leave.
        await page.WaitForTimeoutAsync(1500);
        Assert.Null(await page.EvaluateAsync<string?>("() => window.pwned ?? null"));
        Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('pwned')"));
        Assert.DoesNotContain("pwned", await page.TitleAsync());
        await Expect(message.View).ToBeVisibleAsync();

        // Inside the frame, through Playwright's own access: no flag there either, and no storage at all
        // (an opaque origin cannot have localStorage; reading it throws a SecurityError).
        var frame = await message.HtmlFrameAsync();
        Assert.Null(await frame.EvaluateAsync<string?>("() => window.pwned ?? null"));
        Assert.NotEqual("pwned", await frame.EvaluateAsync<string>("() => document.title"));
        var frameStorage = await frame.EvaluateAsync<string>("() => { try { return 'readable:' + localStorage.getItem('pwned') } catch (e) { return e.name } }");
        Assert.Equal("SecurityError", frameStorage);
        Assert.Equal("null", await frame.EvaluateAsync<string>("() => window.origin"));

        // Nothing reached the canary: no script, no handler, no link, and remote images and CSS blocked by default.
        Assert.Empty(canary.Requests);
        output.WriteLine("console: " + string.Join(" | ", consoleLines));

        // Control: the canary does see loads once the user asks for remote content, so its silence above means something.
        await Expect(message.RemoteToggle).ToBeVisibleAsync();
        await message.RemoteToggle.CheckAsync();
        await Expect(message.HtmlFrame.Locator("#greeting")).ToBeVisibleAsync();
        await WaitForAsync(() => canary.Requests.Contains("/remote-image.gif"), TimeSpan.FromSeconds(15));
        await page.WaitForTimeoutAsync(1000);
        Assert.DoesNotContain(canary.Requests, r => r.EndsWith("-ran", StringComparison.Ordinal));
        Assert.Null(await page.EvaluateAsync<string?>("() => window.pwned ?? null"));
        Assert.DoesNotContain("pwned", await page.TitleAsync());
        output.WriteLine("canary after allowing remote content: " + string.Join(", ", canary.Requests));
    }

    [ChromiumFact]
    public async Task Transcript_tab_shows_the_smtp_conversation_with_the_queued_as_reply()
    {
        var delivery = await SmtpSender.SendAsync(Host.SmtpPort, SmtpSender.Simple("Transcript please"));

        var page = await NewPageAsync();
        var inbox = await new InboxPage(page, Host.BaseUrl).GotoAsync();
        var message = await inbox.OpenAsync(delivery.MessageId);
        await message.ShowTabAsync("transcript");

        var lines = message.TranscriptLines;
        await Expect(lines.First).ToBeVisibleAsync();
        var texts = await lines.EvaluateAllAsync<TranscriptRow[]>(
            "rows => rows.map(r => ({ direction: r.dataset.direction, text: r.querySelector('.tl-text')?.textContent ?? r.textContent }))");
        output.WriteLine(string.Join(Environment.NewLine, texts.Select(t => $"{t.Direction,-6} {t.Text}")));

        var ehlo = IndexOf(texts, "client", t => t.StartsWith("EHLO ", StringComparison.OrdinalIgnoreCase));
        var mailFrom = IndexOf(texts, "client", t => t.StartsWith("MAIL FROM:<app@example.com>", StringComparison.OrdinalIgnoreCase));
        var rcptTo = IndexOf(texts, "client", t => t.StartsWith("RCPT TO:<dev@example.com>", StringComparison.OrdinalIgnoreCase));
        var data = IndexOf(texts, "client", t => t.Trim().Equals("DATA", StringComparison.OrdinalIgnoreCase));
        var dataMarker = IndexOf(texts, "event", t => t.Contains("DATA", StringComparison.OrdinalIgnoreCase) || t.Contains("message", StringComparison.OrdinalIgnoreCase));
        var queued = IndexOf(texts, "server", t => t.StartsWith("250", StringComparison.Ordinal) && t.Contains($"queued as {delivery.MessageId}", StringComparison.Ordinal));
        Assert.True(ehlo < mailFrom && mailFrom < rcptTo && rcptTo < data && data < dataMarker && dataMarker <= queued,
            $"Out of order: EHLO {ehlo}, MAIL {mailFrom}, RCPT {rcptTo}, DATA {data}, marker {dataMarker}, queued {queued}");

        // Client and server lines are visually distinct.
        var clientColor = await lines.Locator("xpath=self::*[@data-direction='client']").First.EvaluateAsync<string>("el => getComputedStyle(el).color + getComputedStyle(el).backgroundColor");
        var serverColor = await lines.Locator("xpath=self::*[@data-direction='server']").First.EvaluateAsync<string>("el => getComputedStyle(el).color + getComputedStyle(el).backgroundColor");
        Assert.NotEqual(clientColor, serverColor);
    }

    [ChromiumFact]
    public async Task Received_tab_shows_the_hops_in_travel_order_with_mailsink_last()
    {
        var raw = """
            Received: from relay.example.net (relay.example.net [192.0.2.20]) by mx.example.org (Postfix) with ESMTPS id 4RELAYID; Sat, 28 Nov 2026 10:00:05 +0000
            Received: from origin.example.com (origin.example.com [192.0.2.10]) by relay.example.net with ESMTP id 1ORIGINID; Sat, 28 Nov 2026 10:00:00 +0000
            From: Origin <app@origin.example.com>
            To: dev@example.com
            Subject: Three hops
            Date: Sat, 28 Nov 2026 09:59:59 +0000
            Message-ID: <three-hops@origin.example.com>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8

            Travelled a while.
            """;
        var delivery = await SmtpSender.SendAsync(Host.SmtpPort, raw);

        var page = await NewPageAsync();
        var inbox = await new InboxPage(page, Host.BaseUrl).GotoAsync();
        var message = await inbox.OpenAsync(delivery.MessageId);
        await Expect(message.View.GetByTestId("tab-received")).ToHaveTextAsync("Received (3)");
        await message.ShowTabAsync("received");

        await Expect(message.Hops).ToHaveCountAsync(3);
        var order = await message.Hops.EvaluateAllAsync<string[]>("hops => hops.map(h => h.dataset.index)");
        Assert.Equal(new[] { "2", "1", "0" }, order);

        await Expect(message.Hops.Nth(0)).ToContainTextAsync("Origin");
        await Expect(message.Hops.Nth(0)).ToContainTextAsync("origin.example.com");
        await Expect(message.Hops.Nth(1)).ToContainTextAsync("relay.example.net");
        await Expect(message.Hops.Nth(1)).ToContainTextAsync("mx.example.org");
        await Expect(message.Hops.Nth(2)).ToContainTextAsync("MailSink");
        await Expect(message.Hops.Nth(2)).ToContainTextAsync(MailSinkHost.Hostname);
        // The relay hop came 5 s after the origin.
        await Expect(message.Hops.Nth(1).GetByTestId("hop-delay")).ToContainTextAsync("5");
    }

    private static int IndexOf(TranscriptRow[] rows, string direction, Func<string, bool> match)
    {
        var index = Array.FindIndex(rows, r => r.Direction == direction && match(r.Text));
        Assert.True(index >= 0, $"No {direction} line matched in the transcript tab:{Environment.NewLine}{string.Join(Environment.NewLine, rows.Select(r => $"{r.Direction}: {r.Text}"))}");
        return index;
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the condition.");
            await Task.Delay(50);
        }
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await browser.NewContextAsync();
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>One rendered transcript line (settable: Playwright fills it from the page's JSON).</summary>
    public sealed class TranscriptRow
    {
        public string Direction { get; set; } = "";

        public string Text { get; set; } = "";
    }
}
