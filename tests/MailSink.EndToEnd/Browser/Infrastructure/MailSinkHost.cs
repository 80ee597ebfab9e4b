using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace MailSink.EndToEnd.Browser.Infrastructure;

/// <summary>
/// The real MailSink process (<c>dotnet MailSink.dll</c> from src/MailSink's build output) on loopback:
/// SMTP listeners on ports the OS picks (read back from /api/v1/info), HTTP on a free port chosen here
/// (the browser needs a real TCP port), storage in a temporary LiteDB file. Disposing kills the process
/// tree and deletes the temporary folder, whatever state the test left it in.
/// </summary>
internal sealed class MailSinkHost : IAsyncDisposable
{
    public const string Hostname = "mailsink.test";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;
    private readonly string? _ownedFolder;

    private MailSinkHost(Process process, ConcurrentQueue<string> output, Uri baseUrl, int smtpPort, string storagePath, string? ownedFolder, AuthenticationHeaderValue? authorization)
    {
        _process = process;
        _output = output;
        BaseUrl = baseUrl;
        SmtpPort = smtpPort;
        StoragePath = storagePath;
        _ownedFolder = ownedFolder;
        Http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        Http.DefaultRequestHeaders.Authorization = authorization;
    }

    public Uri BaseUrl { get; }

    public int SmtpPort { get; }

    public string StoragePath { get; }

    public HttpClient Http { get; }

    /// <summary>The last lines the host wrote, for failure messages.</summary>
    public string RecentOutput => string.Join(Environment.NewLine, _output);

    /// <summary>Starts a host on a new temporary database, or on <paramref name="storagePath"/> (kept after dispose).</summary>
    /// <param name="extraArguments">Appended to the defaults (e.g. Web authentication options).</param>
    /// <param name="authorization">What <see cref="Http"/> and the readiness check send when the host requires credentials.</param>
    public static async Task<MailSinkHost> StartAsync(
        string? storagePath = null,
        IReadOnlyList<string>? extraArguments = null,
        AuthenticationHeaderValue? authorization = null,
        CancellationToken cancellationToken = default)
    {
        if (!File.Exists(RepoPaths.HostAssembly))
        {
            throw new InvalidOperationException($"{RepoPaths.HostAssembly} does not exist: build the solution (or this test project) first.");
        }

        var folder = Path.Combine(Path.GetTempPath(), "mailsink-e2e", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var storage = storagePath ?? Path.Combine(folder, "mailsink.db");

        // A port found free can be taken before the host binds it; try again on another one.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(folder, storage, extraArguments ?? [], authorization, cancellationToken);
            }
            catch (HostExitedException ex) when (attempt < 3 && ex.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
            }
            catch
            {
                TryDelete(folder);
                throw;
            }
        }
    }

    private static async Task<MailSinkHost> StartOnceAsync(
        string folder, string storage, IReadOnlyList<string> extraArguments, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        var httpPort = FreeTcpPort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoPaths.HostContentRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     RepoPaths.HostAssembly,
                     "--bind", "127.0.0.1",
                     "--hostname", Hostname,
                     "--smtp-port", "0", "--submission-port", "0", "--smtps-port", "0",
                     "--http-port", httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--storage", storage,
                     "--data-dir", Path.Combine(folder, "data"),
                     // The large-inbox test stores 100,000; the default limit (50,000) would prune half of them.
                     "--max-messages", "1000000",
                     "--contentRoot", RepoPaths.HostContentRoot,
                     "--Logging:LogLevel:Default=Warning",
                     "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
                 }.Concat(extraArguments))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var output = new ConcurrentQueue<string>();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        void Keep(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            while (output.Count > 200 && output.TryDequeue(out _))
            {
            }
        }

        process.OutputDataReceived += Keep;
        process.ErrorDataReceived += Keep;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var baseUrl = new Uri($"http://127.0.0.1:{httpPort}/");
        try
        {
            var smtpPort = await WaitUntilReadyAsync(process, output, baseUrl, authorization, cancellationToken);
            return new MailSinkHost(process, output, baseUrl, smtpPort, storage, folder, authorization);
        }
        catch
        {
            await KillAsync(process);
            throw;
        }
    }

    private static async Task<int> WaitUntilReadyAsync(
        Process process, ConcurrentQueue<string> output, Uri baseUrl, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = authorization;
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                // Let the output readers drain before reporting.
                await process.WaitForExitAsync(cancellationToken);
                throw new HostExitedException(process.ExitCode, string.Join(Environment.NewLine, output));
            }

            try
            {
                using var ready = await http.GetAsync("readyz", cancellationToken);
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    var info = await http.GetFromJsonAsync<JsonElement>("api/v1/info", cancellationToken);
                    foreach (var listener in info.GetProperty("Listeners").EnumerateArray())
                    {
                        if (listener.GetProperty("Name").GetString() == "smtp")
                        {
                            return listener.GetProperty("Port").GetInt32();
                        }
                    }

                    throw new InvalidOperationException("/api/v1/info lists no 'smtp' listener: " + info);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A request timed out while the host was still starting.
            }

            if (deadline.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"MailSink did not become ready on {baseUrl} within {StartTimeout}. Output:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Empties the store (messages and sessions) so each test starts from nothing.</summary>
    public async Task DeleteAllAsync(CancellationToken cancellationToken = default)
    {
        using var response = await Http.DeleteAsync("api/v1/messages", cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await KillAsync(_process);
        if (_ownedFolder is not null)
        {
            TryDelete(_ownedFolder);
        }
    }

    private static async Task KillAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or it would not die in time; nothing more a test can do.
        }
        finally
        {
            process.Dispose();
        }
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The OS temp cleaner gets what a dying process still held open.
        }
    }

    private sealed class HostExitedException(int exitCode, string output)
        : Exception($"MailSink exited with code {exitCode} before it was ready. Output:{Environment.NewLine}{output}")
    {
        public string Output { get; } = output;
    }
}
