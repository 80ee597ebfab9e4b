namespace MailSink.Domain;

/// <summary>One parsed Received: header (RFC 5321 section 4.4). Index 0 is the top (newest) header.</summary>
internal sealed class ReceivedHop
{
    public int Index { get; set; }
    public string Raw { get; set; } = "";
    public string? From { get; set; }
    public string? By { get; set; }
    public string? Via { get; set; }
    public string? With { get; set; }
    public string? Id { get; set; }
    public string? For { get; set; }

    /// <summary>TLS details when the header carries them (e.g. a "(version=TLS1_3 cipher=...)" comment).</summary>
    public string? Tls { get; set; }
    public DateTimeOffset? Date { get; set; }

    /// <summary>Seconds since the previous (older) hop, when both dates are known.</summary>
    public double? DelaySeconds { get; set; }

    /// <summary>Set when the header could not be parsed; Raw is kept as sent.</summary>
    public string? Note { get; set; }
}
