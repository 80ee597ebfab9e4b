using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MailSink.Client;
using MailSink.Tests.Api;
using MailSink.Tests.TestHost;
using Xunit.Abstractions;

namespace MailSink.Tests.Cli;

/// <summary>
/// Slow (packs and installs, about a minute): the real `mailsink` .NET tool, packed from this source with
/// `dotnet pack`, installed from that local .nupkg into a private tool path, then run as a user would.
/// </summary>
[Collection(PackingCollection.Name)]
public sealed class DotnetToolPackageTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "mailsink-tool-" + Guid.NewGuid().ToString("N"));
    private Process? _server;

    [Fact]
    public async Task Packed_tool_installs_answers_version_receives_mail_and_submits_with_sendmail()
    {
        var version = BuildInfo.Version;
        var tool = await PackAndInstallAsync(version);

        var (exit, stdout, _) = await RunAsync(tool, ["--version"]);
        Assert.Equal(0, exit);
        Assert.Equal(version, stdout.Trim());

        var (smtpPort, httpPort) = (FreePort(), FreePort());
        _server = Start(tool, ["--smtp-port", $"{smtpPort}", "--http-port", $"{httpPort}", "--submission-port", "0", "--smtps-port", "0",
            "--storage", "memory", "--data-dir", Path.Combine(_work, "data"), "--bind", "127.0.0.1"]);
        var url = $"http://127.0.0.1:{httpPort}";
        await UntilHealthyAsync(tool, url);

        using var client = new MailSinkClient(new Uri(url));
        await TestMail.SendAsync(smtpPort, "from the packed tool");
        var received = await client.WaitForMessageAsync("subject:\"from the packed tool\"", TimeSpan.FromSeconds(10));
        Assert.Equal("bob@example.com", received.To.Single().Email);

        var (sendmailExit, _, sendmailError) = await RunAsync(tool, ["sendmail", "-t", "-i", "--server", $"127.0.0.1:{smtpPort}"],
            "From: cron@host.example\nTo: ops@example.com\nSubject: piped through sendmail\n\nreport body\n");
        Assert.True(sendmailExit == 0, sendmailError);
        var piped = await client.WaitForMessageAsync("to:ops@example.com subject:\"piped through sendmail\"", TimeSpan.FromSeconds(10));
        Assert.Contains("report body", piped.Text);
    }

    public void Dispose()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            _server.WaitForExit(10_000);
        }

        _server?.Dispose();
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<string> PackAndInstallAsync(string version)
    {
        var root = RepositoryRoot();
        var packages = Path.Combine(_work, "nupkg");
        var clock = Stopwatch.StartNew();
        var pack = await RunAsync(Dotnet(), ["pack", Path.Combine(root, "src", "MailSink", "MailSink.csproj"), "-c", "Release", "-o", packages, "-p:SkipWebUi=true", "-nologo"], timeout: TimeSpan.FromMinutes(5));
        Assert.True(pack.Exit == 0, pack.Stdout + pack.Stderr);
        Assert.True(File.Exists(Path.Combine(packages, $"MailSink.{version}.nupkg")), $"no MailSink.{version}.nupkg: {pack.Stdout}");
        output.WriteLine($"packed in {clock.Elapsed.TotalSeconds:0.0} s");

        // Only the local package source and a private package cache: never a stale or a published MailSink.
        var config = Path.Combine(_work, "nuget.config");
        await File.WriteAllTextAsync(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        var tools = Path.Combine(_work, "tools");
        clock.Restart();
        var install = await RunAsync(Dotnet(), ["tool", "install", "--tool-path", tools, "--configfile", config, "MailSink", "--version", version],
            timeout: TimeSpan.FromMinutes(3), environment: new() { ["NUGET_PACKAGES"] = Path.Combine(_work, "packages") });
        Assert.True(install.Exit == 0, install.Stdout + install.Stderr);
        output.WriteLine($"installed in {clock.Elapsed.TotalSeconds:0.0} s: {install.Stdout.Trim()}");
        return Path.Combine(tools, OperatingSystem.IsWindows() ? "mailsink.exe" : "mailsink");
    }

    private static async Task UntilHealthyAsync(string tool, string url)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (exit, stdout, _) = await RunAsync(tool, ["healthcheck", "--url", url]);
            if (exit == 0)
            {
                Assert.StartsWith("healthy:", stdout);
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the tool never became healthy: {stdout}");
            await Task.Delay(250);
        }
    }

    private static Process Start(string file, string[] args)
    {
        var info = Info(file, args, null);
        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(
        string file, string[] args, string? stdin = null, TimeSpan? timeout = null, Dictionary<string, string>? environment = null)
    {
        using var process = Process.Start(Info(file, args, environment, redirectInput: stdin is not null))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static ProcessStartInfo Info(string file, string[] args, Dictionary<string, string>? environment, bool redirectInput = false)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The tool's launcher finds the runtime through DOTNET_ROOT: the one running these tests.
        info.Environment["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        foreach (var (key, value) in environment ?? [])
        {
            info.Environment[key] = value;
        }

        return info;
    }

    private static string Dotnet() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MailSink.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("MailSink.sln not found above the test assembly.");
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
