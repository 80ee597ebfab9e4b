namespace MailSink.Domain;

/// <summary>Who a transcript line came from.</summary>
internal enum TranscriptDirection
{
    /// <summary>Sent by the client.</summary>
    Client,

    /// <summary>Sent by MailSink.</summary>
    Server,

    /// <summary>An event recorded by MailSink: TLS start, DATA content marker, session end.</summary>
    Event,
}

/// <summary>One line of an SMTP session, as it crossed the wire (above TLS).</summary>
internal sealed class TranscriptLine
{
    public DateTimeOffset Time { get; set; }
    public TranscriptDirection Direction { get; set; }
    public string Text { get; set; } = "";

    /// <summary>Message ID, on the DATA marker line of an accepted message.</summary>
    public string? MessageId { get; set; }
}
