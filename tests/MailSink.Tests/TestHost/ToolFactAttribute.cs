namespace MailSink.Tests.TestHost;

/// <summary>
/// A fact that needs an external program: skipped with a clear reason when it is missing, unless
/// CI=true, where the test runs and fails (CI installs every tool it lists).
/// </summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(string tool)
    {
        if (ExternalTool.Find(tool) is null && !ExternalTool.IsCi)
        {
            Skip = $"'{tool}' is not installed; install it to run this test (under CI=true its absence is a failure).";
        }
    }
}
