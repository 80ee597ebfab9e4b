namespace MailSink.EndToEnd.Docker;

/// <summary>
/// What the container tests need from this machine: a Docker engine that answers, the repository root
/// (build context), and the base images to build the Dockerfile with.
/// </summary>
/// <remarks>
/// Base images: no registry is reachable on the project's machines, so by default the tests build the
/// Dockerfile on local stand-ins made by tests/docker/build-base-images.sh (run by .ci/run through
/// tests/docker/ci-prepare.sh; run here too when they are missing). Override with MAILSINK_E2E_SDK_IMAGE,
/// MAILSINK_E2E_RUNTIME_IMAGE and MAILSINK_E2E_NODE_IMAGE (e.g. the official images where a registry is
/// reachable).
/// </remarks>
public static class DockerEnvironment
{
    public const string StandInSdkImage = "mailsink-test/sdk:local";
    public const string StandInRuntimeImage = "mailsink-test/aspnet:local";

    private static readonly Lazy<string?> UnavailableReasonLazy = new(ProbeEngine);

    /// <summary>True when CI=true: there a missing engine is a failure, not a skip.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when `docker info` answers; otherwise why not.</summary>
    public static string? UnavailableReason => UnavailableReasonLazy.Value;

    public static string SdkImage => Env("MAILSINK_E2E_SDK_IMAGE") ?? StandInSdkImage;

    public static string RuntimeImage => Env("MAILSINK_E2E_RUNTIME_IMAGE") ?? StandInRuntimeImage;

    /// <summary>Node.js source image; the SDK stand-in carries Node in the official node image's layout.</summary>
    public static string NodeImage => Env("MAILSINK_E2E_NODE_IMAGE") ?? SdkImage;

    public static bool UsesStandIns => SdkImage == StandInSdkImage || RuntimeImage == StandInRuntimeImage || NodeImage == StandInSdkImage;

    /// <summary>The folder holding Dockerfile and MailSink.sln, found upwards from the test assembly.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    private static string? ProbeEngine()
    {
        try
        {
            // Runs from a Fact attribute's constructor, which cannot await: a plain blocking process call,
            // not sync-over-async.
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("docker", ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("docker did not start");
            // The output is one short line, so waiting before reading cannot fill the pipe.
            if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                process.Kill(entireProcessTree: true);
                return "`docker info` did not answer within 20 s; start an engine with tests/docker/start-dockerd.sh";
            }

            var stdout = process.StandardOutput.ReadToEnd();
            var stderr = process.StandardError.ReadToEnd();

            return process.ExitCode == 0 && stdout.Trim().Length > 0
                ? null
                : $"no Docker engine answers `docker info` ({stderr.Trim().Split('\n').FirstOrDefault()?.Trim()}); start one with tests/docker/start-dockerd.sh";
        }
        catch (Exception ex)
        {
            return $"docker could not be run: {ex.Message}";
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dockerfile")) && File.Exists(Path.Combine(dir.FullName, "MailSink.sln")))
            {
                return dir.FullName;
            }
        }

        return "";
    }
}

/// <summary>
/// A fact that needs a Docker engine: skipped with the reason when none answers, except under CI=true,
/// where it runs (and fails, saying how to start the engine) so a broken CI setup cannot pass silently.
/// </summary>
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        if (!DockerEnvironment.IsCi && DockerEnvironment.UnavailableReason is { } reason)
        {
            Skip = $"Docker is not available: {reason}. (Under CI=true this test fails instead.)";
        }
    }
}
