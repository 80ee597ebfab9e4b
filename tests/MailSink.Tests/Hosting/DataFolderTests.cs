using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace MailSink.Tests.Hosting;

/// <summary>
/// The data folder is the same wherever MailSink is started from: on an account whose ~/.local/share
/// does not exist yet (a new CI user, a fresh container user) it is created, and the database, the
/// certificate and /api/v1/info all name it. Runs the real MailSink.dll with a fresh HOME.
/// </summary>
public sealed class DataFolderTests : IDisposable
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "MailSink.dll");
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mailsink-datafolder-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_fresh_home_gets_its_data_folder_created_and_the_working_directory_stays_empty()
    {
        var home = Directory.CreateDirectory(Path.Combine(_root, "home")).FullName;
        var work = Directory.CreateDirectory(Path.Combine(_root, "somewhere-else")).FullName;
        var expected = Path.Combine(home, ".local", "share", "MailSink");

        var (process, info) = await StartOnFreePortAsync(work, home);
        try
        {
            Assert.Equal(Path.Combine(expected, "mailsink.db"), info["Database"]!.GetValue<string>());
            Assert.True(File.Exists(Path.Combine(expected, "mailsink.db")), "the database is in the data folder");
            Assert.Empty(Directory.EnumerateFileSystemEntries(work));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    [Fact]
    public async Task Started_from_an_application_folder_it_ignores_that_application_s_appsettings_json()
    {
        // What `mailsink` meets when run from a web project's folder: an "Smtp" section that is the app's, not ours.
        var home = Directory.CreateDirectory(Path.Combine(_root, "home")).FullName;
        var app = Directory.CreateDirectory(Path.Combine(_root, "my-web-app")).FullName;
        await File.WriteAllTextAsync(Path.Combine(app, "appsettings.json"),
            """{ "Smtp": { "Host": "localhost", "Port": 1025 }, "Storage": { "Bucket": "x" }, "Web": { "HttpPort": 1 } }""");
        var (process, info) = await StartOnFreePortAsync(app, home);
        try
        {
            Assert.StartsWith(Path.Combine(home, ".local", "share", "MailSink"), info["Database"]!.GetValue<string>());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    [Fact]
    public async Task A_data_folder_that_cannot_be_created_is_named_in_one_line_with_exit_code_2()
    {
        // A regular file where a folder should be: fails for root too (CI runs as root, so permissions would not).
        Directory.CreateDirectory(_root);
        var blocker = Path.Combine(_root, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "x");
        var dataDir = Path.Combine(blocker, "data");

        using var process = Start(_root, Path.Combine(_root, "home"), $"--bind 127.0.0.1 --http-port 0 --smtp-port 0 --data-dir \"{dataDir}\"");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        var line = Assert.Single((await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("mailsink: cannot create the folder " + dataDir, line);
        Assert.Contains("--data-dir", line);
        Assert.DoesNotContain("   at ", await stdout);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static Process Start(string workingDirectory, string home, string arguments)
    {
        var start = new ProcessStartInfo("dotnet", $"\"{Dll}\" {arguments}")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["HOME"] = home;
        start.Environment.Remove("XDG_DATA_HOME");
        start.Environment["DOTNET_CLI_HOME"] = home;
        return Process.Start(start)!;
    }

    /// <summary>
    /// Starts mailsink on a port that was free a moment ago, and again on another if something took it in between
    /// (tests run in parallel: once in a fresh-machine CI run the child found its port "already in use").
    /// </summary>
    private static async Task<(Process Process, JsonObject Info)> StartOnFreePortAsync(string workingDirectory, string home)
    {
        for (var attempt = 1; ; attempt++)
        {
            var httpPort = FreePort();
            var process = Start(workingDirectory, home, $"--bind 127.0.0.1 --http-port {httpPort} --smtp-port 0 --Smtp:Submission:Enabled=false --Smtp:Smtps:Enabled=false");
            var (info, error) = await InfoAsync(httpPort, process);
            if (info is not null)
            {
                return (process, info);
            }

            process.Dispose();
            if (attempt == 3 || !error.Contains("already in use", StringComparison.Ordinal))
            {
                Assert.Fail($"mailsink exited early: {error}");
            }
        }
    }

    private static async Task<(JsonObject? Info, string Error)> InfoAsync(int httpPort, Process process)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                return (null, $"({process.ExitCode}) {await process.StandardError.ReadToEndAsync()}");
            }

            try
            {
                return ((await http.GetFromJsonAsync<JsonObject>("/api/v1/info"))!, "");
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
