namespace MailSink.Faults;

/// <summary>What a rule does: <see cref="Kind"/> and the fields that kind uses.</summary>
internal sealed class FaultActionSpec
{
    /// <summary>reply, delay, close, timeout, drop, tag, greylist or rate-limit.</summary>
    public string? Kind { get; set; }

    /// <summary>Reply code, 400-599 (reply, greylist, rate-limit).</summary>
    public int? Code { get; set; }

    /// <summary>RFC 3463 enhanced status code whose class matches <see cref="Code"/> (5.1.1 for 550).</summary>
    public string? EnhancedCode { get; set; }

    /// <summary>Reply text, one line.</summary>
    public string? Text { get; set; }

    /// <summary>Seconds to hold the reply before sending it (any kind; the whole effect of delay). 0-3600.</summary>
    public double? DelaySeconds { get; set; }

    /// <summary>Close the connection after the reply (421 replies always do, RFC 5321 section 3.8).</summary>
    public bool? CloseAfterReply { get; set; }

    /// <summary>The tag a tag rule adds.</summary>
    public string? Tag { get; set; }

    /// <summary>Greylist: how long a triplet must wait before a retry is accepted.</summary>
    public double? RetryAfterSeconds { get; set; }

    /// <summary>Rate limit: messages one client may start per minute; the next one trips the rule.</summary>
    public int? Limit { get; set; }
}
