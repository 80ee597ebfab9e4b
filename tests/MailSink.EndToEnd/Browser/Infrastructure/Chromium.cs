namespace MailSink.EndToEnd.Browser.Infrastructure;

/// <summary>
/// Finds the system Chromium (Debian's <c>apt-get install chromium</c>). The tests never download a browser:
/// on a developer's machine without one they are skipped and say why; under CI (CI=true) a missing browser
/// is a failure, so a broken CI image cannot turn the browser suite green by skipping it.
/// </summary>
internal static class Chromium
{
    /// <summary>Overrides the search (a different install, or a path that does not exist to try the skip).</summary>
    public const string PathVariable = "MAILSINK_CHROMIUM";

    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium"];

    /// <summary>Flags from the field notes: headless in a container as root, nothing phoning home.</summary>
    public static readonly string[] LaunchArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private static readonly Lazy<string?> Located = new(() => Locate(Environment.GetEnvironmentVariable(PathVariable), File.Exists));

    public static string? ExecutablePath => Located.Value;

    public static bool IsCi => IsCiValue(Environment.GetEnvironmentVariable("CI"));

    /// <summary>The skip reason, or null when the tests must run (browser found, or CI where absence must fail).</summary>
    public static string? SkipReason => SkipReasonFor(ExecutablePath, IsCi);

    public static string MissingMessage =>
        $"Chromium was not found ({Describe(Environment.GetEnvironmentVariable(PathVariable))}). " +
        "Install it with 'apt-get install chromium' (the tests never download a browser)" +
        (IsCi ? "; CI=true, so a missing browser fails the browser tests instead of skipping them." : ".");

    internal static string? Locate(string? overridePath, Func<string, bool> exists)
    {
        if (!string.IsNullOrWhiteSpace(overridePath))
        {
            return exists(overridePath) ? overridePath : null;
        }

        return Candidates.FirstOrDefault(exists);
    }

    internal static bool IsCiValue(string? value) =>
        value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");

    internal static string? SkipReasonFor(string? executablePath, bool ci) =>
        executablePath is not null || ci
            ? null
            : "Browser test skipped: Chromium not found (" + Describe(Environment.GetEnvironmentVariable(PathVariable)) +
              "). Install it with 'apt-get install chromium'; under CI=true this is a failure, not a skip.";

    private static string Describe(string? overridePath) =>
        string.IsNullOrWhiteSpace(overridePath)
            ? "looked for " + string.Join(", ", Candidates)
            : $"{PathVariable}={overridePath} does not exist";
}
