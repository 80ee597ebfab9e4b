using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MailSink.Tests.TestHost;

/// <summary>
/// A real SpamAssassin spamd (Debian's spamd package) on a free loopback port, for Mailpit's sa-check. Started
/// with --local (no DNS blocklists), so a score depends only on the message; killed by its own PID on dispose.
/// </summary>
public sealed class Spamd : IAsyncDisposable
{
    private readonly Process _process;

    private Spamd(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>What Diagnostics:SpamAssassin takes.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Starts spamd and returns once it accepts connections (its rules take seconds to compile).</summary>
    public static async Task<Spamd> StartAsync(TimeSpan? timeout = null)
    {
        var port = FreePort();
        var spamd = new Spamd(Launch(port), port);
        try
        {
            await spamd.WaitForPortAsync(timeout ?? TimeSpan.FromSeconds(90));
            return spamd;
        }
        catch
        {
            await spamd.DisposeAsync();
            throw;
        }
    }

    /// <summary>A loopback port nothing listens on (for a spamd that does not answer).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static Process Launch(int port)
    {
        var start = new ProcessStartInfo(ExternalTool.Require("spamd"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { $"--listen=127.0.0.1:{port}", "--local", "--max-children=1", "--syslog=stderr", $"--pidfile={Path.Combine(Path.GetTempPath(), $"mailsink-spamd-{port}.pid")}" })
        {
            start.ArgumentList.Add(argument);
        }

        if (Environment.UserName == "root")
        {
            // spamd refuses to handle mail as root.
            start.ArgumentList.Add("--username=nobody");
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("spamd did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitForPortAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, $"spamd exited with {(_process.HasExited ? _process.ExitCode : 0)} before listening");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(250);
            }
        }

        Assert.Fail($"spamd did not listen on port {Port} within {timeout.TotalSeconds} s");
    }
}
