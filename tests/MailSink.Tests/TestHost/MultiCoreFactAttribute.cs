namespace MailSink.Tests.TestHost;

/// <summary>
/// A fact about per-core behaviour, which one core cannot tell apart from the default: skipped with the reason on a
/// single-core machine, unless CI=true, where it runs (CI's machines have two cores or more).
/// </summary>
public sealed class MultiCoreFactAttribute : FactAttribute
{
    public MultiCoreFactAttribute()
    {
        if (Environment.ProcessorCount < 2 && !ExternalTool.IsCi)
        {
            Skip = "This machine has one core, where one socket event thread per core is also the runtime's default.";
        }
    }
}
