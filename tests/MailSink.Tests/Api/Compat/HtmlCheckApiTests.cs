using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MailKit.Net.Smtp;
using MailSink.Tests.TestHost;
using MimeKit;

namespace MailSink.Tests.Api.Compat;

/// <summary>GET /api/v1/message/{ID}/html-check on a message sent over SMTP, as Mailpit's web UI and clients call it.</summary>
public sealed class HtmlCheckApiTests(MailSinkApp app) : IClassFixture<MailSinkApp>
{
    private async Task<string> SendAsync(string subject, MimeEntity body)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("news@example.test"));
        message.To.Add(MailboxAddress.Parse("jane@example.test"));
        message.Subject = subject;
        message.Body = body;
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", app.SmtpPort, MailKit.Security.SecureSocketOptions.None);
        await smtp.SendAsync(message);
        await smtp.DisconnectAsync(true);

        var found = await MailSinkApp.WaitUntilAsync(async () =>
        {
            var search = await app.GetJsonAsync($"/api/v1/search?query={Uri.EscapeDataString($"subject:\"{subject}\"")}");
            return search["messages"]!.AsArray().FirstOrDefault();
        }, subject);
        return found!["ID"]!.GetValue<string>();
    }

    [Fact]
    public async Task An_html_newsletter_gets_Mailpit_s_warnings_and_scores()
    {
        var html = """
            <!DOCTYPE html>
            <html><head><style>.row { display: flex } a:hover { color: red }</style></head>
            <body><div class="row"><img src="https://example.test/logo.webp" srcset="https://example.test/logo@2x.webp 2x"></div>
            <div style="position: absolute">x</div><link rel="stylesheet" href="http://127.0.0.1:1/never-fetched.css"></body></html>
            """;
        var id = await SendAsync("html-check newsletter", new Multipart("alternative")
        {
            new TextPart("plain") { Text = "plain" },
            new TextPart("html") { Text = html },
        });

        var check = await app.GetJsonAsync($"/api/v1/message/{id}/html-check");
        var slugs = check["Warnings"]!.AsArray().Select(w => w!["Slug"]!.GetValue<string>()).ToList();
        foreach (var slug in new[] { "html-body", "html-style", "html-link", "html-srcset", "image-webp", "css-display-flex", "css-position", "css-pseudo-class-hover" })
        {
            Assert.Contains(slug, slugs);
        }

        var flex = check["Warnings"]!.AsArray().Single(w => w!["Slug"]!.GetValue<string>() == "css-display-flex")!;
        Assert.Equal(1, flex["Score"]!["Found"]!.GetValue<int>());
        Assert.Equal(31.25, flex["Score"]!["Unsupported"]!.GetValue<double>(), 3);

        // style, body, div, img, div, link.
        Assert.Equal(6, check["Total"]!["Nodes"]!.GetValue<int>());
        var total = check["Total"]!;
        Assert.Equal(100, total["Supported"]!.GetValue<double>() + total["Partial"]!.GetValue<double>() + total["Unsupported"]!.GetValue<double>(), 3);
        Assert.True(total["Unsupported"]!.GetValue<double>() > 0);
        Assert.Contains("Gmail", check["Platforms"]!["android"]!.AsArray().Select(n => n!.GetValue<string>()));

        // "latest" works as in Mailpit.
        var latest = await app.GetJsonAsync("/api/v1/message/latest/html-check");
        Assert.NotNull(latest["Total"]);
    }

    [Fact]
    public async Task A_text_only_message_is_a_400_and_an_unknown_id_a_404()
    {
        var id = await SendAsync("html-check text only", new TextPart("plain") { Text = "no html here" });

        using var text = await app.Http.GetAsync($"/api/v1/message/{id}/html-check");
        Assert.Equal(HttpStatusCode.BadRequest, text.StatusCode);
        var problem = (await text.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("message does not contain HTML", problem["Error"]!.GetValue<string>());

        using var missing = await app.Http.GetAsync("/api/v1/message/no-such-id/html-check");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
