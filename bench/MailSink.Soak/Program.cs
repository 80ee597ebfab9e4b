using System.Diagnostics;
using System.Globalization;
using MailSink.Soak;

// Soak load against a running MailSink (bench/soak.sh starts it and passes its ports and pid):
// plain, STARTTLS + AUTH, implicit TLS + AUTH, large (1-5 MB) and malformed messages, API reads and deletes,
// a SignalR hub client. Reads /proc/<pid> throughout; exits 1 when memory keeps climbing, handles or threads
// leak, a well-behaved client failed, or the hub heard nothing.
var options = args.Chunk(2).ToDictionary(p => p[0].TrimStart('-'), p => p[1]);
int Port(string name) => int.Parse(options[name], CultureInfo.InvariantCulture);
var pid = Port("pid");
var duration = TimeSpan.FromMinutes(double.Parse(options.GetValueOrDefault("minutes", "30"), CultureInfo.InvariantCulture));
var target = new SoakTarget(Port("smtp"), Port("submission"), Port("smtps"), new Uri($"http://127.0.0.1:{Port("http")}/"));

var clock = Stopwatch.StartNew();
var gauges = new List<ProcessGauge> { ProcessGauge.Read(pid, clock.Elapsed) };
Console.WriteLine($"soak: {duration.TotalMinutes} min against pid {pid}; start: {gauges[0]}");

using var stop = new CancellationTokenSource(duration);
var load = new SoakLoad(target);
var running = load.RunAsync(stop.Token);
while (!running.IsCompleted)
{
    await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(10)));
    var gauge = ProcessGauge.Read(pid, clock.Elapsed);
    gauges.Add(gauge);
    Console.WriteLine($"  {gauge}  sent {load.Counters}");
}

await running;

// Let closed connections and the hub go, then read what is left.
await Task.Delay(TimeSpan.FromSeconds(10));
var end = ProcessGauge.Read(pid, clock.Elapsed);
var during = gauges.Skip(1).ToList();
var middle = during[during.Count / 2];
var last = during[^1];
var firstQuarter = during.Take(Math.Max(1, during.Count / 4)).Max(g => g.RssBytes);
Console.WriteLine();
Console.WriteLine($"load:    {load.Counters}");
Console.WriteLine($"errors:  {load.Errors.Count} from well-behaved clients{(!load.Errors.IsEmpty ? ": " + string.Join(" | ", load.Errors.Take(5)) : "")}");
Console.WriteLine($"hub:     {load.HubEvents} events received");
Console.WriteLine($"RSS:     start {Mb(gauges[0].RssBytes)}, middle {Mb(middle.RssBytes)}, end of load {Mb(last.RssBytes)}, after settling {Mb(end.RssBytes)}; peak {Mb(gauges.Max(g => g.RssBytes))}");
Console.WriteLine($"fds:     start {gauges[0].OpenFiles}, end {end.OpenFiles}");
Console.WriteLine($"threads: start {gauges[0].Threads}, end {end.Threads}");

var failures = new List<string>();

// Climbing: the second half keeps rising over the middle, well beyond the noise of large messages and caches.
if (last.RssBytes > middle.RssBytes * 1.25 && last.RssBytes - middle.RssBytes > 64L * 1024 * 1024 && last.RssBytes > firstQuarter * 1.25)
{
    failures.Add($"memory keeps climbing: {Mb(middle.RssBytes)} at the middle, {Mb(last.RssBytes)} at the end");
}

if (end.OpenFiles > gauges[0].OpenFiles + 25)
{
    failures.Add($"file handles leak: {gauges[0].OpenFiles} at start, {end.OpenFiles} after the load stopped");
}

if (end.Threads > gauges[0].Threads + 50)
{
    failures.Add($"threads leak: {gauges[0].Threads} at start, {end.Threads} after the load stopped");
}

if (!load.Errors.IsEmpty)
{
    failures.Add($"{load.Errors.Count} errors from well-behaved clients");
}

if (load.HubEvents == 0)
{
    failures.Add("the hub client heard nothing");
}

failures.ForEach(f => Console.WriteLine("FAIL: " + f));
Console.WriteLine(failures.Count == 0 ? "soak: OK" : "soak: FAILED");
return failures.Count == 0 ? 0 : 1;

static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:F0} MiB";
