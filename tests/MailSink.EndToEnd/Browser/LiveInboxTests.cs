using MailSink.EndToEnd.Browser.Infrastructure;
using MailSink.EndToEnd.Browser.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MailSink.EndToEnd.Browser;

/// <summary>The open inbox follows the mailbox live: new mail, search, and deletes made in another tab.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveInboxTests(BrowserFixture browser, HostFixture hostFixture, ITestOutputHelper output)
    : IClassFixture<HostFixture>, IAsyncLifetime
{
    /// <summary>The budget: a new message shows within a second of the SMTP 250.</summary>
    private const double LiveUpdateBudgetMs = 1000;

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
    public async Task Message_sent_over_smtp_appears_in_the_open_inbox_within_a_second_and_the_title_counts_it()
    {
        var inbox = await OpenInboxAsync();
        await Expect(inbox.EmptyList).ToBeVisibleAsync();
        Assert.Equal(0, await inbox.UnreadCountAsync());
        await Expect(inbox.Page).ToHaveTitleAsync("MailSink");
        await inbox.MarkDocumentAsync();

        var subject = $"Live {Guid.NewGuid():N}";
        var seen = await inbox.WatchForRowAsync(subject);
        var delivery = await SmtpSender.SendAsync(Host.SmtpPort, SmtpSender.Simple(subject));

        var seenAtMs = await seen();
        Assert.True(seenAtMs > 0, $"The row for '{subject}' did not appear within 15 s of the SMTP reply '{delivery.Reply}'.");
        var latency = seenAtMs - delivery.RepliedAt.ToUnixTimeMilliseconds();
        var fromSendStart = seenAtMs - delivery.SendStartedAt.ToUnixTimeMilliseconds();
        output.WriteLine($"live update: row visible {latency:F0} ms after the SMTP 250 ({fromSendStart:F0} ms after MAIL FROM was sent)");
        Assert.True(latency < LiveUpdateBudgetMs, $"The row appeared {latency:F0} ms after the 250; the budget is {LiveUpdateBudgetMs} ms.");

        var row = inbox.Row(delivery.MessageId);
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToHaveAttributeAsync("data-unread", "true");
        await Expect(row.GetByTestId("row-subject")).ToHaveTextAsync(subject);
        await Expect(inbox.UnreadBadge).ToHaveAttributeAsync("data-count", "1");
        await Expect(inbox.Page).ToHaveTitleAsync("(1) MailSink");
        await Expect(inbox.Page.GetByTestId("list-count")).ToHaveTextAsync("1 message");
        Assert.True(await inbox.IsSameDocumentAsync(), "The page was reloaded: the row must arrive over the hub.");

        // The live-updates dot says what it means, to the pointer and to a screen reader.
        await Expect(inbox.ConnectionStatus).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("^Live updates: connected\\. New mail appears"));
        await Expect(inbox.ConnectionStatus).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("^Live updates: connected"));

        // A second one moves the count again, still without a reload.
        var second = await SmtpSender.SendAsync(Host.SmtpPort, SmtpSender.Simple($"Live second {Guid.NewGuid():N}"));
        await Expect(inbox.Row(second.MessageId)).ToBeVisibleAsync();
        await Expect(inbox.Page).ToHaveTitleAsync("(2) MailSink");
        await Expect(inbox.Page.GetByTestId("list-count")).ToHaveTextAsync("2 messages");
        await Expect(inbox.Rows.First).ToHaveAttributeAsync("data-id", second.MessageId);
        Assert.True(await inbox.IsSameDocumentAsync());
    }

    [ChromiumFact]
    public async Task Search_narrows_the_list_to_matching_subjects()
    {
        var alpha1 = await SmtpSender.SendAsync(Host.SmtpPort, SmtpSender.Simple("alpha release notes"));
        var beta = await SmtpSender.SendAsync(Host.SmtpPort, SmtpSender.Simple("beta invoice"));
        var alpha2 = await SmtpSender.SendAsync(Host.SmtpPort, SmtpSender.Simple("Re: Alpha launch"));
        var other = await SmtpSender.SendAsync(Host.SmtpPort, SmtpSender.Simple("gamma", text: "alpha only in the body"));

        var inbox = await OpenInboxAsync();
        await Expect(inbox.Rows).ToHaveCountAsync(4);

        await inbox.SearchAsync("subject:alpha");
        await Expect(inbox.Rows).ToHaveCountAsync(2);
        var ids = await inbox.Rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");
        Assert.Equal(new[] { alpha2.MessageId, alpha1.MessageId }, ids);
        await Expect(inbox.Row(beta.MessageId)).ToHaveCountAsync(0);
        await Expect(inbox.Row(other.MessageId)).ToHaveCountAsync(0);

        // Results stay live: a new match arrives in the filtered list, a non-match does not.
        var alpha3 = await SmtpSender.SendAsync(Host.SmtpPort, SmtpSender.Simple("alpha again"));
        await SmtpSender.SendAsync(Host.SmtpPort, SmtpSender.Simple("delta"));
        await Expect(inbox.Row(alpha3.MessageId)).ToBeVisibleAsync();
        await Expect(inbox.Rows).ToHaveCountAsync(3);

        await inbox.SearchAsync("");
        await Expect(inbox.Rows).ToHaveCountAsync(6);
    }

    [ChromiumFact]
    public async Task Delete_all_in_one_tab_empties_the_list_live_in_another()
    {
        for (var i = 0; i < 3; i++)
        {
            await SmtpSender.SendAsync(Host.SmtpPort, SmtpSender.Simple($"to be deleted {i}"));
        }

        var first = await OpenInboxAsync();
        var second = await OpenInboxAsync();
        await Expect(first.Rows).ToHaveCountAsync(3);
        await Expect(second.Rows).ToHaveCountAsync(3);
        await Expect(second.UnreadBadge).ToHaveAttributeAsync("data-count", "3");
        await second.MarkDocumentAsync();

        await first.DeleteAllAsync();

        await Expect(first.Rows).ToHaveCountAsync(0);
        await Expect(second.Rows).ToHaveCountAsync(0);
        await Expect(second.EmptyList).ToBeVisibleAsync();
        await Expect(second.UnreadBadge).ToHaveAttributeAsync("data-count", "0");
        await Expect(second.Page).ToHaveTitleAsync("MailSink");
        Assert.True(await second.IsSameDocumentAsync(), "The second tab was reloaded: the delete must arrive over the hub.");
    }

    /// <summary>Each inbox in its own browser context, like two separate tabs or windows.</summary>
    private async Task<InboxPage> OpenInboxAsync()
    {
        var context = await browser.NewContextAsync();
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        return await new InboxPage(page, Host.BaseUrl).GotoAsync();
    }
}
