using MailKit.Net.Smtp;
using MailKit.Security;
using MailSink.EndToEnd.Browser.Infrastructure;
using MailSink.EndToEnd.Browser.Pages;
using Microsoft.Playwright;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using static Microsoft.Playwright.Assertions;

namespace MailSink.EndToEnd.Browser;

/// <summary>
/// The "Done means" in the browser: a message signed by mailer.example, sent with MAIL FROM at
/// mailer.example and From at shop.example, shows DKIM and SPF pass and DMARC failing for shop.example with the fix.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ChecksTabTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mailsink-e2e-checks-" + Guid.NewGuid().ToString("N"));
    private MailSinkHost? _host;
    private IBrowserContext? _context;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        if (Chromium.ExecutablePath is null)
        {
            return;
        }

        var generator = new RsaKeyPairGenerator();
        generator.Init(new KeyGenerationParameters(new SecureRandom(), 2048));
        Keys = generator.GenerateKeyPair();
        var publicKey = Convert.ToBase64String(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(Keys.Public).GetDerEncoded());
        var zone = Path.Combine(_folder, "dns.txt");
        await File.WriteAllTextAsync(zone, $"""
            s1._domainkey.mailer.example TXT "v=DKIM1; k=rsa; p={publicKey}"
            mailer.example TXT "v=spf1 ip4:127.0.0.1 -all"
            _dmarc.shop.example TXT "v=DMARC1; p=reject"
            """);
        _host = await MailSinkHost.StartAsync(extraArguments: ["--dns-overrides", zone]);
    }

    private AsymmetricCipherKeyPair Keys { get; set; } = null!;

    public async Task DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.CloseAsync();
        }

        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    [ChromiumFact]
    public async Task The_checks_tab_shows_DKIM_and_SPF_pass_and_why_DMARC_would_fail_and_the_list_badges_the_error()
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Shop", "news@shop.example"));
        message.To.Add(new MailboxAddress("Dev", "dev@example.com"));
        message.Subject = "Weekly deals";
        message.Date = DateTimeOffset.UtcNow;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("mailer.example");
        message.Body = new TextPart("plain") { Text = "This week only." };
        new DkimSigner(Keys.Private, "mailer.example", "s1") { HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed, BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed }
            .Sign(message, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId]);
        using (var smtp = new SmtpClient())
        {
            await smtp.ConnectAsync("127.0.0.1", _host!.SmtpPort, SecureSocketOptions.None);
            await smtp.SendAsync(message, MailboxAddress.Parse("bounce@mailer.example"), [MailboxAddress.Parse("dev@example.com")]);
            await smtp.DisconnectAsync(quit: true);
        }

        _context = await browser.NewContextAsync();
        var page = await _context.NewPageAsync();
        var inbox = await new InboxPage(page, _host.BaseUrl).GotoAsync();
        var id = await inbox.Rows.First.GetAttributeAsync("data-id");
        await Expect(inbox.Row(id!).GetByTestId("checks-error-badge")).ToBeVisibleAsync();

        var view = await inbox.OpenAsync(id!);
        var panel = await view.ShowTabAsync("checks");

        var summary = panel.GetByTestId("checks-summary");
        await Expect(summary.GetByRole(AriaRole.Row, new() { Name = "DKIM: 'PASS' with domain mailer.example", Exact = true })).ToBeVisibleAsync();
        await Expect(summary.GetByRole(AriaRole.Row, new() { Name = "SPF: PASS with IP 127.0.0.1 (mailer.example)", Exact = true })).ToBeVisibleAsync();
        await Expect(summary.GetByRole(AriaRole.Row, new() { Name = "DMARC: DMARC would fail for shop.example (p=reject): From is aligned with neither DKIM (mailer.example) nor SPF (mailer.example)", Exact = true })).ToBeVisibleAsync();
        await Expect(panel.GetByTestId("dmarc-fix")).ToContainTextAsync("Sign with d=shop.example");
        await Expect(panel.Locator("[data-testid=finding][data-code='dmarc.fail']")).ToContainTextAsync("error");

        // The transcript's reply explanations come from the server's table (GET /api/v1/codes).
        await view.ShowTabAsync("transcript");
        var dataReply = view.TranscriptLines.Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^.*354 ") }).First;
        await Expect(dataReply).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("^354: Start mail input"));
    }
}
