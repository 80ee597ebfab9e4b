using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MailSink.Tests.TestHost;

/// <summary>The real mailsink command: MailSink.dll (copied beside the tests) run by dotnet, or its apphost under another name.</summary>
internal static class MailSinkCommand
{
    public static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "MailSink.dll");

    /// <summary>The native launcher built beside MailSink.dll; a symlink to it is how `sendmail` is installed.</summary>
    public static readonly string AppHost = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "MailSink.exe" : "MailSink");

    /// <summary><c>dotnet MailSink.dll args</c>, or <paramref name="executable"/> (e.g. a symlink to the apphost) with args.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null, string? executable = null)
    {
        var info = new ProcessStartInfo(executable ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        if (executable is null)
        {
            info.ArgumentList.Add(Dll);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The apphost finds the runtime through DOTNET_ROOT: the one running these tests.
        info.Environment["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return info;
    }

    /// <summary>Runs to completion with <paramref name="stdin"/> as its input; kills it after <paramref name="timeout"/> (default 60 s).</summary>
    public static async Task<(int Exit, string StdOut, string StdErr)> RunAsync(
        IEnumerable<string> args, string stdin = "", IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null, string? executable = null, TimeSpan? timeout = null)
    {
        var info = StartInfo(args, environment, workingDirectory, executable);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mailsink {string.Join(' ', info.ArgumentList)} did not finish in time; stderr: {await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A port free a moment ago, for a process that needs one on its command line.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The repository root (where MailSink.sln is), for tests that read README.md.</summary>
    public static string RepositoryRoot()
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
}
