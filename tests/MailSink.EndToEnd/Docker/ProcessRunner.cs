using System.Diagnostics;
using System.Text;

namespace MailSink.EndToEnd.Docker;

/// <summary>The result of one finished command.</summary>
public sealed record ProcessResult(string Command, int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Exit code, time and the tail of both streams: enough to see why a step failed.</summary>
    public string Describe(int tailChars = 4000) =>
        $"`{Command}` exited {ExitCode} after {Elapsed.TotalSeconds:F1}s\n--- stdout (tail) ---\n{Tail(StdOut, tailChars)}\n--- stderr (tail) ---\n{Tail(StdErr, tailChars)}";

    private static string Tail(string s, int n) => s.Length <= n ? s : "..." + s[^n..];
}

/// <summary>Runs a program with arguments (no shell), captures its output, and kills it at a deadline.</summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null,
        Action<string>? onLine = null)
    {
        var args = arguments.ToList();
        var command = fileName + " " + string.Join(' ', args.Select(a => a.Contains(' ') ? $"'{a}'" : a));
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                psi.Environment[k] = v;
            }
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var sw = Stopwatch.StartNew();
        using var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (stdout)
            {
                stdout.AppendLine(e.Data);
            }

            onLine?.Invoke(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }

            onLine?.Invoke(e.Data);
        };

        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return new ProcessResult(command, -1, "", $"could not start {fileName}: {ex.Message}", sw.Elapsed);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }

            await process.WaitForExitAsync(CancellationToken.None);
            lock (stderr)
            {
                stderr.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"[killed: no exit within {timeout.TotalSeconds:F0}s]");
            }

            return new ProcessResult(command, -2, Snapshot(stdout), Snapshot(stderr), sw.Elapsed);
        }

        // WaitForExitAsync returns after the redirected streams reach EOF, so the buffers are complete.
        return new ProcessResult(command, process.ExitCode, Snapshot(stdout), Snapshot(stderr), sw.Elapsed);
    }

    private static string Snapshot(StringBuilder sb)
    {
        lock (sb)
        {
            return sb.ToString();
        }
    }
}
