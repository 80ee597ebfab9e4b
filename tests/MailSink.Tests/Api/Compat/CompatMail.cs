using MailKit.Net.Smtp;
using MailSink.Hosting;
using MimeKit;

namespace MailSink.Tests.Api.Compat;

/// <summary>Servers and messages for the MailHog and Mailpit client tests.</summary>
internal static class CompatMail
{
    public static Task<MailSinkServer> StartAsync(params (string Key, string Value)[] settings) => StartAsync(tls: false, settings);

    /// <param name="tls">Also start the STARTTLS submission and implicit-TLS listeners (self-signed certificate).</param>
    public static Task<MailSinkServer> StartAsync(bool tls, params (string Key, string Value)[] settings)
    {
        var options = new MailSinkServerOptions { EnableTlsListeners = tls };
        foreach (var (key, value) in settings)
        {
            options.Settings[key] = value;
        }

        return MailSinkServer.StartAsync(options);
    }

    public static int HttpPort(MailSinkServer sink) => sink.BaseAddress.Port;

    /// <summary>
    /// A multipart/mixed message: encoded subject, quoted-printable UTF-8 text, base64 HTML, a base64 attachment. Flat,
    /// because the npm mailhog client looks for text and HTML among the top-level parts only (with MailHog too).
    /// </summary>
    public static MimeMessage Multipart(string from = "alice@example.com", string to = "bob@example.org")
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Alice", from));
        message.To.Add(new MailboxAddress("Bob", to));
        message.Subject = "Grüße aus Köln";
        var text = new TextPart("plain") { Text = "Café crème at noon.\r\n" };
        text.ContentTransferEncoding = ContentEncoding.QuotedPrintable;
        var html = new TextPart("html") { Text = "<p>Café <b>crème</b></p>\r\n" };
        html.ContentTransferEncoding = ContentEncoding.Base64;
        var attachment = new MimePart("application", "octet-stream")
        {
            Content = new MimeContent(new MemoryStream("report line 1\r\n"u8.ToArray())),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = "report.txt" },
            ContentTransferEncoding = ContentEncoding.Base64,
        };
        message.Body = new Multipart("mixed") { text, html, attachment };
        return message;
    }

    public static MimeMessage Plain(string from, string to, string subject, string body)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    public static async Task SendAsync(MailSinkServer sink, params MimeMessage[] messages)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync(sink.SmtpHost, sink.SmtpPort, MailKit.Security.SecureSocketOptions.None);
        foreach (var message in messages)
        {
            await client.SendAsync(message);
        }

        await client.DisconnectAsync(true);
    }

    /// <summary>The stored bytes of the newest message.</summary>
    public static async Task<byte[]> LatestRawAsync(MailSinkServer sink)
    {
        using var http = new HttpClient { BaseAddress = sink.BaseAddress };
        return await http.GetByteArrayAsync("/api/v1/message/latest/raw");
    }

    /// <summary>The ID of the newest message (Mailpit's list).</summary>
    public static async Task<string> LatestIdAsync(MailSinkServer sink)
    {
        using var http = new HttpClient { BaseAddress = sink.BaseAddress };
        http.DefaultRequestHeaders.Add("Accept", "application/json");
        var page = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync("/api/v1/messages?limit=1"))!;
        return page["messages"]![0]!["ID"]!.GetValue<string>();
    }

    /// <summary>
    /// Asserts that <paramref name="relayed"/>, as the second server stored it, is the original bytes with only that
    /// server's own Received header in front.
    /// </summary>
    public static void AssertOriginalBytes(byte[] original, byte[] relayed)
    {
        Assert.True(relayed.AsSpan().EndsWith(original), $"the relayed message is not the original bytes.\n--- original ---\n{System.Text.Encoding.UTF8.GetString(original)}\n--- relayed ---\n{System.Text.Encoding.UTF8.GetString(relayed)}");
        var prefix = System.Text.Encoding.ASCII.GetString(relayed, 0, relayed.Length - original.Length);
        Assert.StartsWith("Received: ", prefix);
        Assert.Single(prefix.Split("\r\n"), l => l.Length > 0 && l[0] is not (' ' or '\t'));
    }
}
