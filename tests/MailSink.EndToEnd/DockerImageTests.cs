using System.Diagnostics;
using System.Net;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using MailSink.EndToEnd.Docker;
using MimeKit;
using Xunit.Abstractions;

namespace MailSink.EndToEnd;

/// <summary>
/// Builds the repository's Dockerfile, runs the image as a user would, and checks it end to end: SMTP in
/// (plain, STARTTLS on submission, implicit TLS), the API out, non-root, ports below 1024, the
/// HEALTHCHECK, and mail surviving a container restart on the same /data volume.
/// </summary>
/// <remarks>
/// Needs a Docker engine (tests/docker/start-dockerd.sh) and, by default, the stand-in base images
/// (tests/docker/build-base-images.sh); .ci/run prepares both through tests/docker/ci-prepare.sh. The
/// stand-ins are built here too when missing (needs root). Containers use --network host only (no bridge
/// on these machines). The image and its layers stay cached; container and volume are removed.
/// </remarks>
[Collection(DockerCollection.Name)]
public sealed class DockerImageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string ImageTag = "mailsink-e2e:test";
    private static readonly TimeSpan DockerCommandTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private string ContainerName => "mailsink-e2e-" + _suffix;
    private string VolumeName => "mailsink-e2e-data-" + _suffix;
    private bool _containerCreated;
    private bool _volumeCreated;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Runs whether the test passed or not; each step bounded, failures only reported.
        if (_containerCreated)
        {
            var rm = await DockerAsync(["rm", "-f", "-v", ContainerName]);
            if (!rm.Succeeded)
            {
                output.WriteLine("cleanup: " + rm.Describe(500));
            }
        }

        if (_volumeCreated)
        {
            var rm = await DockerAsync(["volume", "rm", "-f", VolumeName]);
            if (!rm.Succeeded)
            {
                output.WriteLine("cleanup: " + rm.Describe(500));
            }
        }

        _http.Dispose();
    }

    [DockerFact]
    public async Task Image_receives_mail_over_every_listener_runs_as_non_root_and_keeps_mail_across_restart()
    {
        Assert.True(DockerEnvironment.UnavailableReason is null,
            $"CI=true but {DockerEnvironment.UnavailableReason}. .ci/run must run tests/docker/ci-prepare.sh before the tests.");
        Assert.True(DockerEnvironment.RepositoryRoot.Length > 0, "repository root (Dockerfile + MailSink.sln) not found above " + AppContext.BaseDirectory);

        await RepositoryImage.BuildAsync(ImageTag, output);

        // Ports: SMTP and HTTP off the defaults (the machine may run other sinks); submission and smtps
        // below 1024 (587/465 when free) to prove the non-root process may bind them.
        var taken = new HashSet<int>();
        var smtpPort = FreePorts.Ephemeral(taken);
        var httpPort = FreePorts.Ephemeral(taken);
        var submissionPort = FreePorts.Privileged(587, taken);
        var smtpsPort = FreePorts.Privileged(465, taken);
        output.WriteLine($"ports: smtp {smtpPort}, submission {submissionPort}, smtps {smtpsPort}, http {httpPort}");

        Expect(await DockerAsync(["volume", "create", VolumeName]));
        _volumeCreated = true;
        var run = await DockerAsync([
            "run", "-d", "--name", ContainerName, "--network", "host",
            "-v", $"{VolumeName}:/data",
            // With host networking the image's 0.0.0.0 would open the test's ports on every host interface.
            "-e", "MAILSINK_Server__Bind=127.0.0.1",
            "-e", $"MAILSINK_Smtp__Smtp__Port={smtpPort}",
            "-e", $"MAILSINK_Smtp__Submission__Port={submissionPort}",
            "-e", $"MAILSINK_Smtp__Smtps__Port={smtpsPort}",
            "-e", $"MAILSINK_Web__HttpPort={httpPort}",
            // The image's HEALTHCHECK, run every 2 s instead of 10 s so the test need not wait long.
            "--health-interval", "2s", "--health-timeout", "10s", "--health-start-period", "10s", "--health-retries", "3",
            ImageTag,
        ]);
        _containerCreated = run.ExitCode != -1;
        Expect(run);
        var baseUrl = $"http://127.0.0.1:{httpPort}";

        try
        {
            await WaitForReadyAsync(baseUrl);

            // Non-root: the image's user for `docker exec`, and the server process itself (pid 1).
            var uid = Expect(await DockerAsync(["exec", ContainerName, "id", "-u"])).StdOut.Trim();
            Assert.NotEqual("0", uid);
            var status = Expect(await DockerAsync(["exec", ContainerName, "cat", "/proc/1/status"])).StdOut;
            var pid1Uids = status.Split('\n').First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
            Assert.All(pid1Uids, u => Assert.NotEqual("0", u));
            output.WriteLine($"uid: exec {uid}, pid 1 {string.Join('/', pid1Uids)}");

            var subjects = new[]
            {
                $"plain {_suffix}",
                $"starttls {_suffix}",
                $"implicit {_suffix}",
            };
            await SendAsync(smtpPort, SecureSocketOptions.None, subjects[0], expectSecure: false);
            await SendAsync(submissionPort, SecureSocketOptions.StartTls, subjects[1], expectSecure: true);
            await SendAsync(smtpsPort, SecureSocketOptions.SslOnConnect, subjects[2], expectSecure: true);

            await WaitForSubjectsAsync(baseUrl, subjects, TimeSpan.FromSeconds(20));

            await CheckHealthStatusAsync();

            var sw = Stopwatch.StartNew();
            Expect(await DockerAsync(["restart", "-t", "20", ContainerName]));
            await WaitForReadyAsync(baseUrl);
            output.WriteLine($"restart to ready: {sw.Elapsed.TotalSeconds:F1}s");
            await WaitForSubjectsAsync(baseUrl, subjects, TimeSpan.FromSeconds(10));
        }
        catch
        {
            var logs = await DockerAsync(["logs", "--tail", "80", ContainerName]);
            output.WriteLine("container logs (tail):\n" + logs.StdOut + logs.StdErr);
            throw;
        }
    }

    private async Task WaitForReadyAsync(string baseUrl)
    {
        var sw = Stopwatch.StartNew();
        var deadline = DateTime.UtcNow + ReadyTimeout;
        string last = "no answer yet";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await _http.GetAsync(baseUrl + "/readyz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    output.WriteLine($"/readyz 200 after {sw.Elapsed.TotalSeconds:F1}s");
                    return;
                }

                last = $"/readyz answered {(int)response.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = ex.Message;
            }

            var state = await DockerAsync(["inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", ContainerName]);
            Assert.True(state.Succeeded && state.StdOut.StartsWith("running", StringComparison.Ordinal),
                $"container is not running ({state.StdOut.Trim()} {state.StdErr.Trim()})");
            await Task.Delay(500);
        }

        Assert.Fail($"{baseUrl}/readyz not ready within {ReadyTimeout.TotalSeconds:F0}s: {last}");
    }

    private async Task SendAsync(int port, SecureSocketOptions security, string subject, bool expectSecure)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("E2E Sender", "sender@e2e.test"));
        message.To.Add(new MailboxAddress("E2E Rcpt", "rcpt@e2e.test"));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = $"Sent to port {port} with {security}.\r\n" };

        using var client = new SmtpClient { Timeout = 15_000, CheckCertificateRevocation = false };
        // MailSink's certificate is self-signed (generated into /data on first start).
        client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client.ConnectAsync("127.0.0.1", port, security, cts.Token);
        var secure = client.IsSecure;
        Assert.Equal(expectSecure, secure);
        await client.SendAsync(message, cts.Token);
        await client.DisconnectAsync(true, cts.Token);
        output.WriteLine($"sent '{subject}' to {port} ({security}, TLS: {secure})");
    }

    private async Task WaitForSubjectsAsync(string baseUrl, IReadOnlyCollection<string> subjects, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var seen = new List<string>();
        while (true)
        {
            var json = await _http.GetStringAsync(baseUrl + "/api/v1/messages?limit=100");
            using var doc = JsonDocument.Parse(json);
            seen = doc.RootElement.GetProperty("messages").EnumerateArray()
                .Select(m => m.GetProperty("Subject").GetString() ?? "")
                .ToList();
            if (subjects.All(seen.Contains))
            {
                output.WriteLine($"GET /api/v1/messages: {seen.Count} message(s), all {subjects.Count} expected subjects present");
                return;
            }

            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"expected subjects [{string.Join(", ", subjects)}]; the API lists [{string.Join(", ", seen)}]");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>
    /// The image's HEALTHCHECK (`dotnet /app/MailSink.dll healthcheck`, run every 2 s here) must report
    /// healthy while the server runs on a non-default HTTP port given as MAILSINK_Web__HttpPort.
    /// </summary>
    private async Task CheckHealthStatusAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var health = (await DockerAsync(["inspect", "--format", "{{.State.Health.Status}}", ContainerName])).StdOut.Trim();
            if (health == "healthy")
            {
                output.WriteLine("HEALTHCHECK: healthy");
                return;
            }

            if (health == "unhealthy" || DateTime.UtcNow >= deadline)
            {
                var log = (await DockerAsync(["inspect", "--format", "{{range .State.Health.Log}}[exit {{.ExitCode}}] {{.Output}}\n{{end}}", ContainerName])).StdOut;
                Assert.Fail($"HEALTHCHECK status '{health}' (wanted healthy); probe log:\n{log}");
            }

            await Task.Delay(500);
        }
    }

    private static Task<ProcessResult> DockerAsync(IEnumerable<string> args) =>
        ProcessRunner.RunAsync("docker", args, DockerCommandTimeout, DockerEnvironment.RepositoryRoot.Length > 0 ? DockerEnvironment.RepositoryRoot : null);

    private static ProcessResult Expect(ProcessResult result, int tailChars = 4000)
    {
        Assert.True(result.Succeeded, result.Describe(tailChars));
        return result;
    }
}
