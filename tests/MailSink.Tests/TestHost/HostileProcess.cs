using System.Text.Json.Nodes;

namespace MailSink.Tests.TestHost;

/// <summary>
/// The real MailSink process for the hostile-client suite: its memory is read from /proc, which an
/// in-process server would share with the test runner. Limits are set so a flood shows whether memory is
/// bounded: a 5 MiB message limit (a 100 MB DATA is then 95 MB over it, discarded, never kept), second-scale
/// command and TLS timeouts for slow-loris; the connection limit keeps its default of 500.
/// </summary>
public sealed class HostileProcess : IAsyncLifetime
{
    public const int MaxMessageSize = 5 * 1024 * 1024;

    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(3);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mailsink-hostile-" + Guid.NewGuid().ToString("N"));

    public MailSinkProcess Process { get; private set; } = null!;

    public int SmtpPort { get; private set; }

    public int SubmissionPort { get; private set; }

    public int SmtpsPort { get; private set; }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        Process = await MailSinkProcess.StartAsync(
            Path.Combine(_folder, "mailsink.db"),
            authorization: null,
            "--Smtp:MaxMessageSize=" + MaxMessageSize,
            "--Smtp:CommandTimeout=00:00:03",
            "--Smtp:IdleTimeout=00:00:30",
            "--Smtp:DataBlockTimeout=00:00:05",
            "--Smtp:DataTimeout=00:01:00",
            "--Smtp:TlsHandshakeTimeout=00:00:03",
            "--Logging:LogLevel:Default=Warning");
        var info = JsonNode.Parse(await Process.Http.GetStringAsync("api/v1/info"))!;
        int Port(string name) => info["Listeners"]!.AsArray().First(l => l!["Name"]!.GetValue<string>() == name)!["Port"]!.GetValue<int>();
        SmtpPort = Port("smtp");
        SubmissionPort = Port("submission");
        SmtpsPort = Port("smtps");
    }

    /// <summary>Resident memory of the process now, in bytes (VmRSS).</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Process.ProcessId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("no VmRSS line in /proc/<pid>/status");
    }

    /// <summary>Samples the resident memory every 50 ms until <paramref name="until"/> completes; returns the highest.</summary>
    public async Task<long> PeakResidentBytesAsync(Task until)
    {
        var peak = ResidentBytes();
        while (!until.IsCompleted)
        {
            peak = Math.Max(peak, ResidentBytes());
            await Task.WhenAny(until, Task.Delay(50));
        }

        return Math.Max(peak, ResidentBytes());
    }

    public async Task DisposeAsync()
    {
        await Process.DisposeAsync();
        MailSinkApp.DeleteFolder(_folder);
    }
}
