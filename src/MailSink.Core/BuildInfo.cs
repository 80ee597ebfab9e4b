using System.Reflection;

namespace MailSink;

/// <summary>
/// This build's version, from the assembly's informational version without the source-link commit suffix
/// (<c>1.2.0+abc123</c> reads <c>1.2.0</c>). One owner for the banner, <c>/api/v1/info</c> and the tool's
/// <c>--version</c> and <c>--help</c>, so the command line need not reach into the API to print it.
/// </summary>
internal static class BuildInfo
{
    public static string Version { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
