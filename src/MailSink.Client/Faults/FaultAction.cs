namespace MailSink.Client;

/// <summary>What a fault rule does (see MailSink's README for each kind); null fields take the preset's or the server's defaults.</summary>
public sealed record FaultAction
{
    /// <summary>reply, delay, close, timeout, drop, tag, greylist or rate-limit.</summary>
    public string? Kind { get; init; }

    /// <summary>Reply code, 400-599.</summary>
    public int? Code { get; init; }

    /// <summary>RFC 3463 enhanced status code (5.1.1).</summary>
    public string? EnhancedCode { get; init; }

    /// <summary>Reply text.</summary>
    public string? Text { get; init; }

    /// <summary>Seconds to hold the reply before sending it.</summary>
    public double? DelaySeconds { get; init; }

    /// <summary>Close the connection after the reply.</summary>
    public bool? CloseAfterReply { get; init; }

    /// <summary>The tag a tag rule adds to the message.</summary>
    public string? Tag { get; init; }

    /// <summary>Greylisting: seconds before a retry is accepted.</summary>
    public double? RetryAfterSeconds { get; init; }

    /// <summary>Rate limit: messages one client may start per minute.</summary>
    public int? Limit { get; init; }
}
