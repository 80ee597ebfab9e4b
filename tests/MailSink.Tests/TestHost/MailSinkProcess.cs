using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
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

    /// <summary>Everything the process wrote so far, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public static async Task<MailSinkProcess> StartAsync(string storagePath, params string[] extraArguments)
    {
        var httpPort = FreeTcpPort();
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
        var process = new Process { StartInfo = start };
        var host = new MailSinkProcess(process, new Uri($"http://127.0.0.1:{httpPort}/"));
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

    /// <summary>Sends SIGTERM, as a container runtime or systemd does to stop a service.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, Sigterm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
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
