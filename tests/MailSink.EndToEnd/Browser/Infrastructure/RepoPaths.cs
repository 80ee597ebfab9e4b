using System.Reflection;

namespace MailSink.EndToEnd.Browser.Infrastructure;

/// <summary>Paths baked in at build time (see the AssemblyMetadata items in the project file).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    /// <summary>src/MailSink's own build output: its wwwroot is the web UI WebUi.targets built for this build.</summary>
    public static string HostAssembly { get; } = Metadata("MailSinkHostAssembly");

    /// <summary>The host's project folder, used as its content root so it serves src/MailSink/wwwroot.</summary>
    public static string HostContentRoot { get; } = Path.Combine(Root, "src", "MailSink");

    /// <summary>Git-ignored (/test-output/): screenshots and anything else a person should look at after a run.</summary>
    public static string Screenshots { get; } = Path.Combine(Root, "test-output", "screenshots");

    private static string Metadata(string key) =>
        typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"Assembly metadata '{key}' is missing: build through MailSink.EndToEnd.csproj.");
}
