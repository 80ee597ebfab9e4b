using System.Diagnostics;

namespace MailSink.Tests.Api.Compat;

/// <summary>
/// Postfix's smtp-sink (Debian package postfix, /usr/sbin/smtp-sink) on a free loopback port, dumping each
/// transaction to a file (-d): the envelope as X-Mail-Args/X-Rcpt-Args, its own Received header, then the message
/// with LF line ends. Missing smtp-sink skips the test, or fails it under CI=true (.ci/run installs postfix).
/// </summary>
internal sealed class SmtpSink : IAsyncDisposable
{
    private const string Executable = "/usr/sbin/smtp-sink";
    private readonly Process _process;

    private SmtpSink(Process process, int port, string folder)
    {
        _process = process;
        Port = port;
        Folder = folder;
    }

    public int Port { get; }

    public string Folder { get; }

    public static bool IsInstalled => !OperatingSystem.IsWindows() && File.Exists(Executable);

    public static async Task<SmtpSink> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mailsink-tests", "smtp-sink-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);

        // smtp-sink refuses to run as root without -u, and then writes its dumps as that user.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0x1FF);
        }
        var port = MailHogNodeClientTests.ClosedPort();
        var start = new ProcessStartInfo(Executable) { RedirectStandardError = true, RedirectStandardOutput = true };
        if (Environment.UserName == "root")
        {
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add("nobody");
        }

        foreach (var argument in new[] { "-d", Path.Combine(folder, "%H%M%S."), $"127.0.0.1:{port}", "5" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var sink = new SmtpSink(process, port, folder);
        for (var i = 0; i < 50; i++)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return sink;
            }
            catch (System.Net.Sockets.SocketException) when (!process.HasExited)
            {
                await Task.Delay(100);
            }
        }

        await sink.DisposeAsync();
        throw new InvalidOperationException($"smtp-sink did not listen on {port}: {await process.StandardError.ReadToEndAsync()}");
    }

    /// <summary>The dumps of the transactions that carried a message (the readiness probe leaves none).</summary>
    public async Task<string> SingleDumpAsync()
    {
        for (var i = 0; i < 50; i++)
        {
            var files = Directory.GetFiles(Folder);
            if (files.Length > 0)
            {
                return await File.ReadAllTextAsync(Assert.Single(files));
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException("smtp-sink dumped no message");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
