namespace MailSink.Tests.TestHost;

/// <summary>
/// A fact that mounts a small tmpfs (a real full disk, not a simulated one): skipped with the reason when the
/// test process is not root, unless CI=true, where it runs and a failed mount fails it (CI runs as root).
/// </summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess && !ExternalTool.IsCi)
        {
            Skip = "Mounting a tmpfs needs root; run the tests as root to include this disk-full test (under CI=true it always runs).";
        }
    }
}
