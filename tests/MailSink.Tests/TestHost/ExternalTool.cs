using System.Diagnostics;
using System.Text;

namespace MailSink.Tests.TestHost;

/// <summary>Runs command-line SMTP clients (swaks, python3) against the fixture, with a deadline.</summary>
public static class ExternalTool
{
    /// <summary>Under CI=true a missing tool fails the test instead of skipping it.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The full path of an executable on PATH, or null.</summary>
    public static string? Find(string name)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static string Require(string name) =>
        Find(name) ?? throw new InvalidOperationException($"'{name}' is not on PATH and CI=true: install it (CI does so in .ci/run).");

    /// <summary>
    /// swaks, checked for what the test needs rather than for existing: without Perl's TLS modules
    /// (a plain <c>--no-install-recommends</c> install) it exists but exits 10 on <c>--tls</c> with a message
    /// that does not name the Debian package. <c>swaks --support</c> lists each capability as
    /// <c>=== TLS supported</c> or <c>*** TLS not available: requires Net::SSLeay</c>.
    /// </summary>
    public static async Task<string> RequireSwaksWithAsync(params string[] capabilities)
    {
        var swaks = Require("swaks");
        var (_, support) = await RunAsync(swaks, ["--support"]);
        foreach (var capability in capabilities)
        {
            if (!support.Contains($"=== {capability} supported", StringComparison.Ordinal))
            {
                var hint = capability == "TLS"
                    ? "install Debian's libnet-ssleay-perl and libio-socket-ssl-perl (swaks only recommends them)"
                    : "see `swaks --support` for the Perl module it needs";
                throw new InvalidOperationException($"swaks cannot do {capability}: {hint}.\n`swaks --support` said:\n{support}");
            }
        }

        return swaks;
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish in time. Output so far: {await stdout}{await stderr}");
        }

        var output = new StringBuilder().Append(await stdout).Append(await stderr).ToString();
        return (process.ExitCode, output);
    }
}
