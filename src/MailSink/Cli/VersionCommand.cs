
namespace MailSink.Cli;

/// <summary><c>mailsink --version</c>: the version alone on one line, for scripts.</summary>
internal static class VersionCommand
{
    public static int Run(TextWriter output)
    {
        output.WriteLine(BuildInfo.Version);
        return 0;
    }
}
