namespace MailSink.Options;

/// <summary>
/// A file or folder MailSink must create or open cannot be used. The message names the path and the
/// option that chose it, so start-up can end with that one line (StartupErrors) rather than a bare
/// "Permission denied".
/// </summary>
internal sealed class DataPathException : IOException
{
    public DataPathException(string message)
        : base(message)
    {
    }

    public DataPathException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
