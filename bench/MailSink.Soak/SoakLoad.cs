using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.AspNetCore.SignalR.Client;
using MimeKit;

namespace MailSink.Soak;

internal sealed record SoakTarget(int Smtp, int Submission, int Smtps, Uri Http);

/// <summary>
/// The mixed load, each kind on its own loop with pauses so a shared 2-core machine is not saturated:
/// the point is hours of ordinary use, not throughput. Well-behaved clients record any failure in
/// <see cref="Errors"/>; the malformed client expects refusals and closes.
/// </summary>
internal sealed class SoakLoad(SoakTarget target)
{
    private readonly ConcurrentDictionary<string, int> _counts = new();
    private readonly Random _random = new(30);
    private int _hubEvents;
    private int _deletes;

    public ConcurrentQueue<string> Errors { get; } = new();

    public int HubEvents => _hubEvents;

    public string Counters => string.Join(", ", _counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"));

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(target.Http, "hubs/inbox")).Build();
        // The hub's methods go out camel-cased (as MailSink.Client listens for them); the client matches names exactly.
        hub.On<JsonElement>("messageReceived", _ => Interlocked.Increment(ref _hubEvents));
        hub.On<JsonElement>("messagesDeleted", _ => Interlocked.Increment(ref _hubEvents));
        hub.Closed += error =>
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                Errors.Enqueue($"hub: closed during the load: {error?.Message}");
            }

            return Task.CompletedTask;
        };
        await hub.StartAsync(cancellationToken);

        await Task.WhenAll(
            LoopAsync("plain", TimeSpan.FromMilliseconds(100), ct => SendAsync(target.Smtp, SecureSocketOptions.None, auth: false, Small(), ct), cancellationToken),
            LoopAsync("starttls+auth", TimeSpan.FromMilliseconds(250), ct => SendAsync(target.Submission, SecureSocketOptions.StartTls, auth: true, Small(), ct), cancellationToken),
            LoopAsync("smtps+auth", TimeSpan.FromMilliseconds(250), ct => SendAsync(target.Smtps, SecureSocketOptions.SslOnConnect, auth: true, Small(), ct), cancellationToken),
            LoopAsync("large", TimeSpan.FromSeconds(3), ct => SendAsync(target.Smtp, SecureSocketOptions.None, auth: false, Large(), ct), cancellationToken),
            LoopAsync("malformed", TimeSpan.FromMilliseconds(300), MalformedAsync, cancellationToken),
            LoopAsync("api-read", TimeSpan.FromMilliseconds(200), ApiReadAsync, cancellationToken),
            LoopAsync("api-delete", TimeSpan.FromSeconds(5), ApiDeleteAsync, cancellationToken));
        await hub.StopAsync(CancellationToken.None);
    }

    /// <summary>
    /// Runs <paramref name="action"/> until <paramref name="cancellationToken"/> fires. What is in flight then is
    /// finished, not cut off (the clients' own timeouts bound it), so the end of the soak adds no aborted sessions.
    /// </summary>
    private async Task LoopAsync(string name, TimeSpan pause, Func<CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await action(CancellationToken.None);
                _counts.AddOrUpdate(name, 1, (_, c) => c + 1);
            }
            catch (Exception ex)
            {
                Errors.Enqueue($"{name}: {ex.GetType().Name}: {ex.Message}");
            }

            try
            {
                await Task.Delay(pause, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task SendAsync(int port, SecureSocketOptions security, bool auth, MimeMessage message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = 60_000, ServerCertificateValidationCallback = (_, _, _, _) => true, CheckCertificateRevocation = false };
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", port, cancellationToken);
        await client.ConnectAsync(socket, "127.0.0.1", port, security, cancellationToken);
        if (auth)
        {
            await client.AuthenticateAsync("soak", "soak-password", cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }

    private static MimeMessage Small() => Message($"soak {Guid.NewGuid():N}", new BodyBuilder { TextBody = "Hello from the soak.\r\n", HtmlBody = "<p>Hello <b>soak</b></p>" });

    private MimeMessage Large()
    {
        int size;
        lock (_random)
        {
            size = _random.Next(1_000_000, 5_000_000);
        }

        var body = new BodyBuilder { TextBody = "A large one." };
        body.Attachments.Add("blob.bin", RandomNumberGeneratorBytes(size), new ContentType("application", "octet-stream"));
        return Message($"large {size}", body);
    }

    private static byte[] RandomNumberGeneratorBytes(int size) => System.Security.Cryptography.RandomNumberGenerator.GetBytes(size);

    private static MimeMessage Message(string subject, BodyBuilder body)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("soak@example.test"));
        message.To.Add(MailboxAddress.Parse("sink@example.test"));
        message.Subject = subject;
        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>One of several broken clients: broken MIME, bare LFs, garbage, an overlong line, a hang-up mid-DATA.</summary>
    private async Task MalformedAsync(CancellationToken cancellationToken)
    {
        int kind;
        lock (_random)
        {
            kind = _random.Next(5);
        }

        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", target.Smtp, cancellationToken);
        var stream = tcp.GetStream();
        var script = kind switch
        {
            0 => "EHLO broken\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<c@d.test>\r\nDATA\r\n",
            1 => "EHLO broken\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<c@d.test>\r\nDATA\r\n",
            2 => "\0\u0001garbage\r\nHELO\r\nMAIL FROM:nonsense\r\nRCPT TO:<>\r\nBDAT 10\r\n",
            3 => "EHLO " + new string('x', 5000) + "\r\n",
            _ => "EHLO broken\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<c@d.test>\r\nDATA\r\nSubject: cut off\r\n\r\nhalf a mess",
        };
        var content = kind switch
        {
            0 => "Content-Type: multipart/mixed; boundary=\"x\"\r\nSubject: =?utf-8?B?broken\r\n\r\n--x\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!notbase64\r\n.\r\nQUIT\r\n",
            1 => "Subject: bare\nline feeds\n.\nstill data\r\n.\r\nQUIT\r\n",
            _ => "",
        };
        await stream.WriteAsync(Encoding.UTF8.GetBytes(script + content), cancellationToken);

        // Read what the server says until it closes or goes quiet, then hang up (kind 4 hangs up mid-DATA).
        var buffer = new byte[4096];
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        quiet.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            while (await stream.ReadAsync(buffer, quiet.Token) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
        }
    }

    private async Task ApiReadAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = target.Http, Timeout = TimeSpan.FromSeconds(60) };
        using var list = JsonDocument.Parse(await http.GetStringAsync("api/v1/messages?limit=50", cancellationToken));
        var ids = list.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("ID").GetString()!).ToList();
        foreach (var id in ids.Take(3))
        {
            await ReadIfPresentAsync(http, $"api/v1/message/{id}", cancellationToken);
            await ReadIfPresentAsync(http, $"api/v1/message/{id}/raw", cancellationToken);
        }

        await http.GetStringAsync("api/v1/search?query=soak&limit=20", cancellationToken);
        await http.GetStringAsync("api/v1/sessions?limit=20", cancellationToken);
        await http.GetStringAsync("api/v1/info", cancellationToken);
    }

    /// <summary>A message listed a moment ago may have been deleted since: 404 is fine, anything else is not.</summary>
    private static async Task ReadIfPresentAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        if (response.StatusCode != System.Net.HttpStatusCode.NotFound)
        {
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
    }

    private async Task ApiDeleteAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = target.Http, Timeout = TimeSpan.FromSeconds(60) };
        if (Interlocked.Increment(ref _deletes) % 12 == 0)
        {
            (await http.DeleteAsync("api/v1/messages", cancellationToken)).EnsureSuccessStatusCode();
            return;
        }

        using var list = JsonDocument.Parse(await http.GetStringAsync("api/v1/messages?limit=20", cancellationToken));
        foreach (var m in list.RootElement.GetProperty("messages").EnumerateArray().Take(5))
        {
            using var response = await http.DeleteAsync($"api/v1/message/{m.GetProperty("ID").GetString()}", cancellationToken);
            if (response.StatusCode != System.Net.HttpStatusCode.NotFound)
            {
                response.EnsureSuccessStatusCode();
            }
        }
    }
}
