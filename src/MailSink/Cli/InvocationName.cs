using System.Text;

namespace MailSink.Cli;

/// <summary>
/// The name this process was started under. A symlink or copy named <c>sendmail</c> pointing at mailsink (as
/// /usr/sbin/sendmail for cron, or sendmail_path for PHP) runs <c>mailsink sendmail</c>, as Mailpit's and
/// Postfix's do.
/// </summary>
internal static class InvocationName
{
    public static async Task<bool> IsSendmailAsync(CancellationToken cancellationToken)
    {
        var name = await Argv0Async(cancellationToken).ConfigureAwait(false) ?? Environment.ProcessPath;
        return name is not null && string.Equals(Path.GetFileNameWithoutExtension(name), "sendmail", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// argv[0] as the caller wrote it, from /proc/self/cmdline (Linux). Environment.ProcessPath resolves the
    /// symlink to the mailsink launcher, and Environment.GetCommandLineArgs()[0] is MailSink.dll: neither says "sendmail".
    /// Null where there is no /proc (macOS, Windows), where ProcessPath keeps the name it was started by.
    /// </summary>
    private static async Task<string?> Argv0Async(CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await File.ReadAllBytesAsync("/proc/self/cmdline", cancellationToken).ConfigureAwait(false);
            var end = Array.IndexOf(bytes, (byte)0);
            return Encoding.UTF8.GetString(bytes, 0, end < 0 ? bytes.Length : end);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
