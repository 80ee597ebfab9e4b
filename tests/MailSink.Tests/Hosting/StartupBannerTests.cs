using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Hosting;

/// <summary>
/// What a person sees on the console at start-up (issue 14 section 4): one banner once everything listens,
/// one line per listener that could not bind, and a warning when the inbox is reachable beyond loopback.
/// Runs the real MailSink.dll as a process and reads its output.
/// </summary>
public sealed class StartupBannerTests : IDisposable
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "MailSink.dll");
    private readonly List<string> _dataFolders = [];

    public void Dispose() => _dataFolders.ForEach(MailSinkApp.DeleteFolder);

    [Fact]
    public async Task The_banner_names_the_inbox_every_listener_with_its_tls_mode_the_data_folder_and_the_certificate_fingerprint()
    {
        var (output, data) = await RunUntilReadyAsync("--bind 127.0.0.1");

        Assert.Single(output, l => l.Contains("is ready. Press Ctrl+C to stop.", StringComparison.Ordinal));
        Assert.Contains(output, l => l.Contains("Inbox:        http://127.0.0.1:", StringComparison.Ordinal));
        Assert.Contains(output, l => l.Contains("SMTP smtp ", StringComparison.Ordinal) && l.Contains(" no TLS ", StringComparison.Ordinal));
        Assert.Contains(output, l => l.Contains("SMTP submission ", StringComparison.Ordinal) && l.Contains(" STARTTLS ", StringComparison.Ordinal));
        Assert.Contains(output, l => l.Contains("SMTP smtps ", StringComparison.Ordinal) && l.Contains(" implicit TLS ", StringComparison.Ordinal));
        Assert.Contains(output, l => l.Contains($"Data folder:  {data}", StringComparison.Ordinal));
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(data, "mailsink-tls.pfx"), password: null);
        Assert.Contains(output, l => l.Contains($"Certificate:  SHA-256 {TlsSessions.Fingerprint(certificate)} (self-signed", StringComparison.Ordinal));

        // The host's own lines would repeat the URL or bury the banner.
        Assert.DoesNotContain(output, l => l.Contains("Now listening on", StringComparison.Ordinal));
        Assert.DoesNotContain(output, l => l.Contains("beyond this machine's loopback", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_listener_that_cannot_bind_is_one_warning_line_whatever_the_number_of_addresses_and_the_banner_says_so()
    {
        // A dual-mode wildcard socket takes the port on 127.0.0.1 and ::1 alike, as a missing privilege would.
        using var busy = new TcpListener(IPAddress.IPv6Any, 0);
        busy.Server.DualMode = true;
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;

        var (output, _) = await RunUntilReadyAsync($"--bind 127.0.0.1,::1 --submission-port {port}");

        Assert.Single(output, l => l.Contains("SMTP listener submission is not listening", StringComparison.Ordinal));
        Assert.Contains(output, l => l.Contains($"port {port} is already in use", StringComparison.Ordinal) && l.Contains("(127.0.0.1, ::1)", StringComparison.Ordinal));
        Assert.Contains(output, l => l.Contains("SMTP submission ", StringComparison.Ordinal) && l.Contains("NOT LISTENING", StringComparison.Ordinal));
        Assert.DoesNotContain(output, l => l.StartsWith("fail:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Binding_beyond_loopback_logs_one_warning_that_anyone_who_can_reach_the_ports_can_read_the_mail()
    {
        var (output, _) = await RunUntilReadyAsync("--bind 0.0.0.0");

        // One warning in all (the web authentication check used to add a second one).
        Assert.Single(output, l => l.Contains("anyone who can reach these ports can read and delete every message", StringComparison.Ordinal));
        Assert.Single(output, l => l.Contains("beyond this machine's loopback", StringComparison.Ordinal));
    }

    /// <summary>Starts MailSink on free ports, collects its output until the banner is complete, then stops it.</summary>
    private async Task<(List<string> Output, string DataFolder)> RunUntilReadyAsync(string arguments)
    {
        var data = Path.Combine(Path.GetTempPath(), "mailsink-banner-" + Guid.NewGuid().ToString("N"));
        _dataFolders.Add(data);
        var start = new ProcessStartInfo("dotnet", $"\"{Dll}\" --data-dir \"{data}\" --storage memory --smtp-port 0 --submission-port 0 --smtps-port 0 --http-port 0 {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var lines = new ConcurrentQueue<string>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = start };
        void Collect(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lines.Enqueue(e.Data);

            // Every run here has a TLS listener, so the certificate line ends the banner.
            if (e.Data.Contains("Certificate:  ", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }

        process.OutputDataReceived += Collect;
        process.ErrorDataReceived += Collect;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));

        }
        catch (TimeoutException)
        {
            Assert.Fail($"No banner within 60 s. Output:\n{string.Join("\n", lines)}");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        return (lines.ToList(), data);
    }
}
