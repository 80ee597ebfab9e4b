namespace MailSink.Faults;

/// <summary>What a fault rule does when it fires.</summary>
internal enum FaultActionKind
{
    /// <summary>Answer with the rule's code, enhanced code and text instead of the server's reply.</summary>
    Reply,

    /// <summary>Hold the server's own reply for a while (a slow server), then send it.</summary>
    Delay,

    /// <summary>Close the connection without a reply.</summary>
    Close,

    /// <summary>Send no reply until the client gives up (or the hold ends), then close.</summary>
    Timeout,

    /// <summary>At end of data: answer 250 but do not store the message.</summary>
    Drop,

    /// <summary>At end of data: store the message and mark it with the rule's tag.</summary>
    Tag,

    /// <summary>At RCPT: 451 4.7.1 for the first attempt of a client/sender/recipient triplet, accept a retry after the delay (RFC 6647).</summary>
    Greylist,

    /// <summary>At MAIL: 421 4.7.0 and close once a client starts more than the limit of messages in a minute.</summary>
    RateLimit,
}
