using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace MailSink.Tests.TestHost;

/// <summary>
/// The real MailSink.dll (copied beside the tests) as its own process on loopback: HTTP on a free port chosen
/// here, SMTP on ports the OS picks (read back from /api/v1/info), storage in the given LiteDB file. For what
/// only a real process shows: signals, exit codes, what survives a restart. Disposing kills what is left.
/// </summary>
public sealed class MailSinkProcess : IAsyncDisposable
{
    private const int Sigterm = 15;

    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "MailSink.dll");

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private MailSinkProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseUrl { get; }

    public HttpClient Http { get; }

    public int SmtpPort { get; private set; }

    /// <summary>The operating system's id of the process (to read /proc/&lt;pid&gt;/status).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Whether the process is still running (a hostile client must never bring it down).</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>Everything the process wrote so far, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <param name="storagePath">The LiteDB file; its folder also holds the data directory.</param>
    /// <param name="authorization">Sent with every request of <see cref="Http"/> (when Web authentication is configured).</param>
    /// <param name="extraArguments">Appended to the defaults; a repeated switch overrides the default.</param>
    public static Task<MailSinkProcess> StartAsync(string storagePath, AuthenticationHeaderValue? authorization = null, params string[] extraArguments) =>
        StartAsync(storagePath, authorization, new Dictionary<string, string?>(), extraArguments);

    /// <param name="storagePath">The LiteDB file; its folder also holds the data directory.</param>
    /// <param name="authorization">Sent with every request of <see cref="Http"/>.</param>
    /// <param name="environment">Set in the process's environment over what it inherits; a null value removes the variable.</param>
    /// <param name="extraArguments">Appended to the defaults.</param>
    public static async Task<MailSinkProcess> StartAsync(
        string storagePath, AuthenticationHeaderValue? authorization, IReadOnlyDictionary<string, string?> environment, params string[] extraArguments)
    {
        var httpPort = FreeTcpPort();
        var process = new Process { StartInfo = StartInfo(storagePath, httpPort, extraArguments) };
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                process.StartInfo.Environment.Remove(name);
            }
            else
            {
                process.StartInfo.Environment[name] = value;
            }
        }

        var host = new MailSinkProcess(process, new Uri($"http://127.0.0.1:{httpPort}/"));
        host.Http.DefaultRequestHeaders.Authorization = authorization;
        process.OutputDataReceived += (_, e) => host.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => host.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            host.SmtpPort = await host.WaitUntilReadyAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a process that is expected to stop by itself (a start-up error); returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunToExitAsync(string storagePath, params string[] extraArguments)
    {
        using var process = Process.Start(StartInfo(storagePath, FreeTcpPort(), extraArguments))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"MailSink {string.Join(' ', extraArguments)} was still running after 60 s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static ProcessStartInfo StartInfo(string storagePath, int httpPort, IEnumerable<string> extraArguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     Dll, "--bind", "127.0.0.1", "--hostname", "sink.test",
                     "--smtp-port", "0", "--submission-port", "0", "--smtps-port", "0",
                     "--http-port", httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--storage", storagePath, "--data-dir", Path.Combine(Path.GetDirectoryName(storagePath)!, "data"),
                 }.Concat(extraArguments))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return start;
    }

    /// <summary>Sends SIGTERM, as a container runtime or systemd does to stop a service.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, Sigterm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>The output so far, once it holds <paramref name="text"/> (or throws after 15 s, showing the output).</summary>
    public async Task<string> WaitForOutputAsync(string text)
    {
        var deadline = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(15))
            {
                throw new TimeoutException($"MailSink did not write '{text}' within 15 s:{Environment.NewLine}{Output}");
            }

            await Task.Delay(50);
        }

        return Output;
    }

    /// <summary>Waits for the process to exit; null when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started, or already gone.
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    private async Task<int> WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"MailSink exited with {_process.ExitCode} before it was ready:{Environment.NewLine}{Output}");
            }

            try
            {
                using var ready = await Http.GetAsync("readyz");
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    var info = JsonNode.Parse(await Http.GetStringAsync("api/v1/info"))!;
                    return info["Listeners"]!.AsArray().First(l => l!["Name"]!.GetValue<string>() == "smtp")!["Port"]!.GetValue<int>();
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"MailSink was not ready within 60 s:{Environment.NewLine}{Output}");
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // DllImport, not LibraryImport: the generated stub would need unsafe code for this one call.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
