namespace MailSink.Smtp;

/// <summary>The two things <see cref="SmtpConversation"/> reads from a command line before SmtpServer parses it.</summary>
internal static class SmtpCommandLine
{
    /// <summary>
    /// The address of a MAIL or RCPT line as the client wrote it: UTF-8 domains intact, which SmtpServer's
    /// IMailbox turns into '?'. Between angle brackets, or after the colon when a client omits them.
    /// </summary>
    public static string AngleAddress(string line)
    {
        var open = line.IndexOf('<');
        var close = open < 0 ? -1 : line.IndexOf('>', open + 1);
        if (open >= 0 && close > open)
        {
            return line[(open + 1)..close];
        }

        var colon = line.IndexOf(':');
        return colon < 0 ? "" : line[(colon + 1)..].Trim().Split(' ')[0];
    }

    /// <summary>The command verb, upper-cased (SMTP verbs are case-insensitive).</summary>
    public static string Verb(string line)
    {
        var end = line.IndexOf(' ');
        var word = end < 0 ? line : line[..end];
        return word.ToUpperInvariant();
    }
}
