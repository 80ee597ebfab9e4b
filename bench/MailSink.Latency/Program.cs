using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.AspNetCore.SignalR.Client;
using MimeKit;

// Usage: MailSink.Latency <smtp port> <http base URL> [rate msg/s = 500] [seconds = 20] [connections = 8]
// Sends at a fixed rate over reused SMTP connections and measures, per message, the time from the client's
// "250 ... queued as <id>" to (a) the hub's messageReceived push carrying <id> and (b) for every 20th message, the
// answer of a /api/v1/wait that was already waiting for it. Prints p50/p95/p99/max of both.
var smtpPort = int.Parse(args[0], CultureInfo.InvariantCulture);
var http = new Uri(args[1]);
var rate = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 500;
var seconds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 20;
var connections = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 8;

var clock = Stopwatch.StartNew();
var accepted = new ConcurrentDictionary<string, double>();
var pushed = new ConcurrentDictionary<string, double>();
var waitLatencies = new ConcurrentBag<double>();
var failedWaits = 0;

await using var hub = new HubConnectionBuilder().WithUrl(new Uri(http, "hubs/inbox")).Build();
hub.On<JsonElement>("messageReceived", batch =>
{
    var now = clock.Elapsed.TotalMilliseconds;
    foreach (var message in batch.EnumerateArray())
    {
        pushed.TryAdd(message.GetProperty("ID").GetString()!, now);
    }
});
await hub.StartAsync();

using var api = new HttpClient { BaseAddress = http, Timeout = TimeSpan.FromSeconds(60) };
var total = rate * seconds;
var next = 0;
var waits = new ConcurrentBag<Task>();

async Task SenderAsync(int index)
{
    using var smtp = new SmtpClient();
    await smtp.ConnectAsync("127.0.0.1", smtpPort, SecureSocketOptions.None);
    while (true)
    {
        var n = Interlocked.Increment(ref next) - 1;
        if (n >= total)
        {
            break;
        }

        // Pace: message n is due at n / rate seconds.
        var due = n * 1000.0 / rate;
        var early = due - clock.Elapsed.TotalMilliseconds;
        if (early > 1)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(early));
        }

        var subject = $"latency-{n}";
        Task<double>? waiter = null;
        if (n % 20 == 0)
        {
            var query = Uri.EscapeDataString($"subject:\"{subject}\"");
            waiter = Task.Run(async () =>
            {
                // A wait that fails (408 after 30 s, a refused connection) counts as missing, not as a latency.
                using var response = await api.GetAsync($"api/v1/wait?query={query}&timeout=30s");
                return response.IsSuccessStatusCode ? clock.Elapsed.TotalMilliseconds : double.NaN;
            });
            await Task.Delay(5); // let the wait register before the message exists
        }

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("bench@example.test"));
        message.To.Add(MailboxAddress.Parse("latency@example.test"));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = "Latency probe.\r\n" };
        var reply = await smtp.SendAsync(message);
        var at = clock.Elapsed.TotalMilliseconds;
        var id = reply[(reply.LastIndexOf(' ') + 1)..].Trim();
        accepted[id] = at;
        if (waiter is not null)
        {
            waits.Add(waiter.ContinueWith(
                t =>
                {
                    if (t.IsCompletedSuccessfully && !double.IsNaN(t.Result))
                    {
                        waitLatencies.Add(t.Result - at);
                    }
                    else
                    {
                        Interlocked.Increment(ref failedWaits);
                    }
                },
                TaskScheduler.Default));
        }
    }

    await smtp.DisconnectAsync(quit: true);
}

await Task.WhenAll(Enumerable.Range(0, connections).Select(SenderAsync));
var sent = clock.Elapsed.TotalSeconds;
await Task.WhenAll(waits);
await Task.Delay(1000); // the last pushes
await hub.StopAsync();

var push = accepted.Where(a => pushed.ContainsKey(a.Key)).Select(a => Math.Max(0, pushed[a.Key] - a.Value)).Order().ToList();
var wait = waitLatencies.Select(w => Math.Max(0, w)).Order().ToList();
Console.WriteLine($"sent {accepted.Count} messages in {sent:F1} s ({accepted.Count / sent:F0} msg/s, target {rate}); pushes seen for {push.Count}");
Console.WriteLine($"250 -> hub push      {Describe(push)}");
Console.WriteLine($"250 -> wait answered {Describe(wait)}; {failedWaits} waits failed");
return push.Count == accepted.Count ? 0 : 1;

static string Describe(List<double> sorted) => sorted.Count == 0
    ? "no samples"
    : FormattableString.Invariant($"n={sorted.Count} p50={P(sorted, 50):F1} ms p95={P(sorted, 95):F1} ms p99={P(sorted, 99):F1} ms max={sorted[^1]:F1} ms");

static double P(List<double> sorted, int percentile) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
