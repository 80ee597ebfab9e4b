namespace MailSink.Faults;

/// <summary>One of Mailpit's Chaos triggers: the error code (400-599) and the chance in whole percent (0-100).</summary>
internal sealed class ChaosTrigger
{
    public int ErrorCode { get; set; }

    public int Probability { get; set; }
}
