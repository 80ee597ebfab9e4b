namespace MailSink.Cli;

/// <summary>sendmail's exit codes (BSD sysexits.h), which cron, PHP and scripts already understand.</summary>
internal static class SendmailExitCodes
{
    public const int Ok = 0;
    public const int Usage = 64;        // EX_USAGE: bad arguments, no recipients
    public const int DataError = 65;    // EX_DATAERR: the input is not a message
    public const int NoUser = 67;       // EX_NOUSER: a recipient was refused permanently
    public const int Unavailable = 69;  // EX_UNAVAILABLE: cannot reach the server, or it refused the message permanently
    public const int Software = 70;     // EX_SOFTWARE
    public const int IoError = 74;      // EX_IOERR: reading stdin failed
    public const int TempFail = 75;     // EX_TEMPFAIL: try again later (4xx reply, timeout)
    public const int Protocol = 76;     // EX_PROTOCOL: the server spoke something other than SMTP
}
