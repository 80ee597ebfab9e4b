using System.Diagnostics;

namespace MailSink.Tests.Hosting;

/// <summary>
/// A bad option or a busy port stops MailSink with one line naming the problem and a non-zero exit code,
/// never a stack trace. Runs the real MailSink.dll (copied beside the tests) as a process.
/// </summary>
public sealed class StartupErrorsTests
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "MailSink.dll");

    [Theory]
    [InlineData("--smtp-port 70000", 2, "Smtp:Smtp:Port (--smtp-port) must be 0-65535, got 70000")]
    [InlineData("--smtp-port abc", 2, "'Smtp:Smtp:Port'")]
    [InlineData("--bind nope", 2, "Server:Bind (--bind) is invalid")]
    [InlineData("--max-message-size 10", 2, "Smtp:MaxMessageSize (--max-message-size) must be at least 1024")]
    [InlineData("--Smtp:Smtp:Port=2525 --Smtp:Submission:Port=2525", 2, "both use port 2525")]
    public async Task A_bad_option_is_named_in_one_line(string arguments, int exitCode, string expected)
    {
        var (code, stderr, stdout) = await RunAsync(arguments);

        Assert.Equal(exitCode, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("mailsink: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("   at ", stderr + stdout);
    }

    [Fact]
    public async Task A_busy_port_is_named_and_the_exit_code_says_it_could_not_listen()
    {
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        var port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port;

        var (code, stderr, stdout) = await RunAsync($"--smtp-port {port} --Smtp:Submission:Enabled=false --Smtp:Smtps:Enabled=false --http-port 0");

        Assert.Equal(3, code);
        Assert.Contains($"port {port} is already in use", stdout);
        Assert.StartsWith("mailsink: No SMTP listener could bind", stderr.Trim());
        Assert.DoesNotContain("   at ", stderr + stdout);
    }

    private static async Task<(int Code, string StdErr, string StdOut)> RunAsync(string arguments)
    {
        var data = Path.Combine(Path.GetTempPath(), "mailsink-startup-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet", $"\"{Dll}\" --bind 127.0.0.1 --data-dir \"{data}\" --storage memory {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
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
            throw new TimeoutException($"mailsink {arguments} did not stop within 60 s");
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }

        return (process.ExitCode, await stderr, await stdout);
    }
}
