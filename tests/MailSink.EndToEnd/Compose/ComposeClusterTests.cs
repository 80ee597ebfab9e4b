using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using MailSink.EndToEnd.Docker;
using MimeKit;
using Xunit.Abstractions;

namespace MailSink.EndToEnd.Compose;

/// <summary>
/// The README's several-node deployment, run for real: deploy/compose/compose.hostnet.yaml (the compose.yaml topology on
/// the host network, as these machines have no bridge) brings up PostgreSQL, two MailSink nodes built from the
/// repository's Dockerfile and HAProxy in front. Mail sent through the balancer is spread over both nodes and every
/// message is listed by each node's API and through the balancer; the balancer's HTTP side sets its sticky cookie.
/// </summary>
/// <remarks>
/// Needs a Docker engine, docker-compose (Debian's 1.29 or the v2 plugin) and the stand-in images
/// (tests/docker/ci-prepare.sh makes all three; the stand-ins are made here too when missing). The MailSink image is
/// the one DockerImageTests builds (same tag, layer cache), so the two tests share one build. Everything the
/// project started is removed afterwards (`down -v`); images stay.
/// </remarks>
[Collection(DockerCollection.Name)]
public sealed class ComposeClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string ImageTag = "mailsink-e2e:test";
    private static readonly TimeSpan ComposeTimeout = TimeSpan.FromMinutes(4);

    private readonly string _project = "mailsink-cluster-" + Guid.NewGuid().ToString("N")[..8];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Dictionary<string, string> _environment = new();
    private string[]? _compose;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_compose is not null)
        {
            var down = await ComposeAsync(["down", "-v", "--timeout", "10"]);
            if (!down.Succeeded)
            {
                output.WriteLine("cleanup: " + down.Describe(800));
            }
        }

        _http.Dispose();
    }

    [DockerFact]
    public async Task Mail_sent_through_the_balancer_to_either_node_is_listed_by_both_nodes_and_the_balancer()
    {
        Assert.True(DockerEnvironment.UnavailableReason is null,
            $"CI=true but {DockerEnvironment.UnavailableReason}. .ci/run must run tests/docker/ci-prepare.sh before the tests.");
        var total = Stopwatch.StartNew();
        await RepositoryImage.BuildAsync(ImageTag, output);
        await EnsureStandInsAsync();
        _compose = await FindComposeAsync();

        var taken = new HashSet<int>();
        var ports = new[] { "PG_PORT", "NODE_A_SMTP_PORT", "NODE_A_HTTP_PORT", "NODE_B_SMTP_PORT", "NODE_B_HTTP_PORT", "LB_SMTP_PORT", "LB_HTTP_PORT", "LB_STATS_PORT" }
            .ToDictionary(p => p, _ => FreePorts.Ephemeral(taken));
        foreach (var (name, port) in ports)
        {
            _environment[name] = port.ToString(CultureInfo.InvariantCulture);
        }

        _environment["MAILSINK_IMAGE"] = ImageTag;
        _environment["POSTGRES_IMAGE"] = Environment.GetEnvironmentVariable("MAILSINK_E2E_POSTGRES_IMAGE") ?? "mailsink-test/postgres:local";
        _environment["HAPROXY_IMAGE"] = Environment.GetEnvironmentVariable("MAILSINK_E2E_HAPROXY_IMAGE") ?? "mailsink-test/haproxy:local";
        _environment["POSTGRES_PASSWORD"] = Guid.NewGuid().ToString("N");
        output.WriteLine("ports: " + string.Join(", ", ports.Select(p => $"{p.Key}={p.Value}")));

        var up = Stopwatch.StartNew();
        var started = await ComposeAsync(["up", "-d", "--no-build"]);
        if (!started.Succeeded)
        {
            await DumpLogsAsync();
        }

        Assert.True(started.Succeeded, started.Describe(4000));
        var balancerHttp = $"http://127.0.0.1:{ports["LB_HTTP_PORT"]}";
        await WaitForAsync($"{balancerHttp}/readyz", TimeSpan.FromSeconds(60));
        output.WriteLine($"compose up to ready through the balancer: {up.Elapsed.TotalSeconds:F1}s");

        try
        {
            // Eight messages, a new connection each: round robin gives each node four.
            var subjects = Enumerable.Range(1, 8).Select(i => $"via balancer {i} {_project}").ToList();
            foreach (var subject in subjects)
            {
                await SendAsync(ports["LB_SMTP_PORT"], subject);
            }

            var sessions = await SmtpSessionsPerNodeAsync(ports["LB_STATS_PORT"]);
            output.WriteLine($"SMTP sessions by node (HAProxy stats): a {sessions["a"]}, b {sessions["b"]}");
            Assert.True(sessions["a"] >= 1 && sessions["b"] >= 1, $"the balancer did not use both nodes: a {sessions["a"]}, b {sessions["b"]}");

            foreach (var (name, url) in new[]
            {
                ("node a", $"http://127.0.0.1:{ports["NODE_A_HTTP_PORT"]}"),
                ("node b", $"http://127.0.0.1:{ports["NODE_B_HTTP_PORT"]}"),
                ("balancer", balancerHttp),
            })
            {
                var listed = await WaitForSubjectsAsync(url, subjects, TimeSpan.FromSeconds(15));
                output.WriteLine($"{name}: all {subjects.Count} listed ({listed} in its list)");
            }

            // The sticky cookie the hub's negotiate and connect requests need (HttpClient's own cookie handling would
            // swallow the header, hence a client without it).
            using var raw = new HttpClient(new HttpClientHandler { UseCookies = false }) { Timeout = TimeSpan.FromSeconds(10) };
            using var response = await raw.GetAsync($"{balancerHttp}/api/v1/messages");
            Assert.True(response.Headers.TryGetValues("Set-Cookie", out var cookies), "the balancer set no cookie");
            Assert.Contains(cookies, c => c.StartsWith("MAILSINK_NODE=a", StringComparison.Ordinal) || c.StartsWith("MAILSINK_NODE=b", StringComparison.Ordinal));
        }
        catch
        {
            await DumpLogsAsync();
            throw;
        }

        output.WriteLine($"test total (build check, stand-ins, up, mail, checks): {total.Elapsed.TotalSeconds:F1}s");
    }

    private async Task SendAsync(int port, string subject)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("cluster@e2e.test"));
        message.To.Add(MailboxAddress.Parse("inbox@e2e.test"));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = "Through HAProxy to whichever node.\r\n" };
        using var client = new SmtpClient { Timeout = 15_000 };
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        await client.SendAsync(message);
        await client.DisconnectAsync(true);
    }

    /// <summary>SMTP sessions each node was given: the stot column of the mailsink_smtp backend's server rows.</summary>
    private async Task<Dictionary<string, int>> SmtpSessionsPerNodeAsync(int statsPort)
    {
        var csv = await _http.GetStringAsync($"http://127.0.0.1:{statsPort}/;csv");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].TrimStart('#', ' ').Split(',');
        var stot = Array.IndexOf(header, "stot");
        return lines.Skip(1).Select(l => l.Split(','))
            .Where(f => f[0] == "mailsink_smtp" && f[1] is "a" or "b")
            .ToDictionary(f => f[1], f => int.Parse(f[stot], CultureInfo.InvariantCulture));
    }

    private async Task<int> WaitForSubjectsAsync(string baseUrl, IReadOnlyCollection<string> subjects, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var doc = JsonDocument.Parse(await _http.GetStringAsync($"{baseUrl}/api/v1/messages?limit=100"));
            var seen = doc.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("Subject").GetString()).ToList();
            if (subjects.All(seen.Contains))
            {
                return seen.Count;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{baseUrl} lists [{string.Join(", ", seen)}], missing [{string.Join(", ", subjects.Except(seen))}]");
            await Task.Delay(200);
        }
    }

    private async Task WaitForAsync(string url, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await _http.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = ex.Message;
            }

            await Task.Delay(250);
        }

        await DumpLogsAsync();
        Assert.Fail($"{url} not 200 within {timeout.TotalSeconds:F0}s: {last}");
    }

    private async Task DumpLogsAsync()
    {
        var logs = await ComposeAsync(["logs", "--no-color", "--tail", "40"]);
        output.WriteLine("compose logs (tail):\n" + logs.StdOut + logs.StdErr);
    }

    private Task<ProcessResult> ComposeAsync(IEnumerable<string> args)
    {
        var file = Path.Combine(DockerEnvironment.RepositoryRoot, "deploy", "compose", "compose.hostnet.yaml");
        return ProcessRunner.RunAsync(_compose![0], [.. _compose[1..], "-p", _project, "-f", file, .. args], ComposeTimeout, DockerEnvironment.RepositoryRoot, _environment);
    }

    /// <summary>`docker compose` (v2 plugin) when the CLI has it, else Debian's `docker-compose`.</summary>
    private static async Task<string[]> FindComposeAsync()
    {
        if ((await ProcessRunner.RunAsync("docker", ["compose", "version"], TimeSpan.FromSeconds(30))).Succeeded)
        {
            return ["docker", "compose"];
        }

        var v1 = await ProcessRunner.RunAsync("docker-compose", ["version"], TimeSpan.FromSeconds(30));
        Assert.True(v1.Succeeded, "neither `docker compose` nor `docker-compose` runs: tests/docker/ci-prepare.sh installs Debian's docker-compose. " + v1.Describe(500));
        return ["docker-compose"];
    }

    private async Task EnsureStandInsAsync()
    {
        var script = Path.Combine(DockerEnvironment.RepositoryRoot, "tests", "docker", "build-deploy-images.sh");
        var result = await ProcessRunner.RunAsync("bash", [script], TimeSpan.FromMinutes(15), DockerEnvironment.RepositoryRoot);
        Assert.True(result.Succeeded, result.Describe());
        output.WriteLine(result.StdOut.Trim());
    }
}
