using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MailSink.TlsLoad;

// SMTP load with or without STARTTLS on every connection; prints msg/s, the server's CPU time per message (with
// --pid) and the 250 latency after DATA. See bench/README.md. The last line is machine-readable (RESULT ...).
LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

var message = new LoadMessage(options.Size, options.Attachment);
var clock = Stopwatch.StartNew();
if (options.Warmup > 0)
{
    var warm = new LoadRun(options with { Rate = null }, message, options.Warmup, clock);
    await warm.RunAsync(CancellationToken.None);
    if (warm.Failed > 0)
    {
        Console.Error.WriteLine($"warm-up: {warm.Failed} messages failed, first: {warm.Errors[0]}");
    }
}

var count = options.Seconds is { } s
    ? options.Rate is { } r ? (int)Math.Round(r * s) : int.MaxValue
    : options.Messages;
// Unpaced for a time: sessions stop taking new messages then, and finish the ones they are sending.
TimeSpan? stopAt = options.Seconds is { } limit && options.Rate is null ? clock.Elapsed + TimeSpan.FromSeconds(limit) : null;
var run = new LoadRun(options, message, count, clock, stopAt);

var cpu0 = options.ServerPid is { } pid0 ? ServerCpu.Read(pid0) : TimeSpan.Zero;
var t0 = clock.Elapsed;
var load = run.RunAsync(CancellationToken.None);
var falling = new List<double>();
var steady = new List<double>();
if (options.Report is { } every)
{
    using var api = options.Api is null ? null : new HttpClient { BaseAddress = options.Api, Timeout = TimeSpan.FromSeconds(5) };
    var lastSent = 0;
    int? lastStored = null;
    while (await Task.WhenAny(load, Task.Delay(TimeSpan.FromSeconds(every))) != load)
    {
        var sent = run.Sent;
        var (max, worst) = run.TakeIntervalMax();
        var line = FormattableString.Invariant(
            $"{(clock.Elapsed - t0).TotalSeconds,7:F1} s  sent {sent,8}  {(sent - lastSent) / every,6:F0} msg/s  slowest 250 {max,8:F1} ms (message {worst})");
        if (options.ServerPid is { } p)
        {
            line += FormattableString.Invariant($"  RSS {ServerCpu.RssMiB(p),5} MiB");
        }

        if (api is not null && await StoredAsync(api) is { } stored)
        {
            line += $"  stored {stored}";

            // An interval in which the count fell is one in which retention was deleting (or a client was).
            (stored < lastStored ? falling : steady).Add(max);
            lastStored = stored;
        }

        Console.WriteLine(line);
        lastSent = sent;
    }
}

await load;
var seconds = (clock.Elapsed - t0).TotalSeconds;
var cpu = options.ServerPid is { } pid1 ? ServerCpu.Read(pid1) - cpu0 : TimeSpan.Zero;
var latencies = run.SortedLatencies();
var cpuPerMessage = run.Sent > 0 ? cpu.TotalMilliseconds / run.Sent : double.NaN;
Console.WriteLine(FormattableString.Invariant(
    $"sent {run.Sent} messages ({run.Failed} failed) in {seconds:F2} s: {run.Sent / seconds:F0} msg/s; {options.Sessions} sessions, {options.PerConnection} per connection, {options.Size} bytes{(options.Attachment ? " with an attachment" : "")}{(options.StartTls ? ", STARTTLS" : "")}"));
if (options.ServerPid is not null)
{
    Console.WriteLine(FormattableString.Invariant($"server CPU {cpu.TotalSeconds:F2} s: {cpuPerMessage:F2} ms per message"));
}

Console.WriteLine($"250 after DATA: {Describe(latencies)}");
if (falling.Count > 0)
{
    Console.WriteLine(FormattableString.Invariant(
        $"slowest 250 in the {falling.Count} intervals where the stored count fell: {falling.Max():F1} ms ({falling.Count(m => m > 50)} over 50 ms); in the {steady.Count} others: {(steady.Count > 0 ? steady.Max() : 0):F1} ms ({steady.Count(m => m > 50)} over 50 ms)"));
}
foreach (var error in run.Errors)
{
    Console.WriteLine($"error: {error}");
}

Console.WriteLine(FormattableString.Invariant(
    $"RESULT sent={run.Sent} failed={run.Failed} seconds={seconds:F2} msgps={run.Sent / seconds:F0} cpu_ms={cpuPerMessage:F2} p50={P(latencies, 50):F1} p99={P(latencies, 99):F1} max={(latencies.Count > 0 ? latencies[^1] : double.NaN):F1}"));
return run.Failed == 0 ? 0 : 1;

static async Task<int?> StoredAsync(HttpClient api)
{
    try
    {
        // MailHog's list: its total is the kept counter. Mailpit's list also reports every tag in use, which after
        // each delete walks the messages again (a read that holds off the writer's checkpoint).
        using var doc = JsonDocument.Parse(await api.GetStringAsync("api/v2/messages?limit=1"));
        return doc.RootElement.GetProperty("total").GetInt32();
    }
    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
    {
        return null;
    }
}

static string Describe(List<double> sorted) => sorted.Count == 0
    ? "no samples"
    : FormattableString.Invariant($"p50={P(sorted, 50):F1} ms p95={P(sorted, 95):F1} ms p99={P(sorted, 99):F1} ms max={sorted[^1]:F1} ms");

static double P(List<double> sorted, int percentile) => sorted.Count == 0
    ? double.NaN
    : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
