namespace MailSink.Client;

/// <summary>
/// A fault rule to add with <see cref="MailSinkClient.AddFaultAsync"/>: a preset (the failures real servers give)
/// narrowed by <see cref="Match"/>, or a rule of your own. The factories cover the presets.
/// </summary>
/// <example>
/// <code>
/// await using var bounce = await sink.AddFaultAsync(Fault.UserUnknown("*@bounce.example"));
/// await using var flaky = await sink.AddFaultAsync(Fault.MailboxFull("*@full.example").WithProbability(30, seed: 7));
/// </code>
/// </example>
public sealed record Fault
{
    /// <summary>The rule's ID; the server chooses one when null.</summary>
    public string? ID { get; init; }

    /// <summary>A label for people.</summary>
    public string? Name { get; init; }

    /// <summary>The rule template, e.g. user-unknown or greylist.</summary>
    public string? Preset { get; init; }

    /// <summary>connect, ehlo, starttls, auth, mail, rcpt, data or end-of-data; null takes the preset's (moved later if the match needs it).</summary>
    public string? Stage { get; init; }

    /// <summary>What the rule matches.</summary>
    public FaultMatch? Match { get; init; }

    /// <summary>What the rule does, over the preset's action.</summary>
    public FaultAction? Action { get; init; }

    /// <summary>Chance of firing in percent (0-100); null is 100.</summary>
    public double? Probability { get; init; }

    /// <summary>Seed for the probability roll, for repeatable runs.</summary>
    public int? Seed { get; init; }

    /// <summary>Fire at most this many times.</summary>
    public int? Count { get; init; }

    /// <summary>550 5.1.1 at RCPT for recipients matching <paramref name="recipient"/>.</summary>
    public static Fault UserUnknown(string recipient = "*") => ForRecipient("user-unknown", recipient);

    /// <summary>550 5.7.1 at MAIL for senders matching <paramref name="sender"/>.</summary>
    public static Fault Blocked(string sender = "*") => new() { Preset = "blocked", Match = new FaultMatch { Sender = sender } };

    /// <summary>452 4.2.2 at RCPT (or 552 5.2.2 when <paramref name="permanent"/>).</summary>
    public static Fault MailboxFull(string recipient = "*", bool permanent = false) =>
        ForRecipient(permanent ? "mailbox-full-permanent" : "mailbox-full", recipient);

    /// <summary>451 4.7.1 on the first attempt of each client/sender/recipient, accepted on a retry after <paramref name="retryAfter"/> (server default 1 minute).</summary>
    public static Fault Greylist(string recipient = "*", TimeSpan? retryAfter = null) =>
        ForRecipient("greylist", recipient) with { Action = retryAfter is { } r ? new FaultAction { RetryAfterSeconds = r.TotalSeconds } : null };

    /// <summary>421 4.7.0 and close once a client starts more than <paramref name="messagesPerMinute"/> messages a minute.</summary>
    public static Fault RateLimit(int messagesPerMinute) => new() { Preset = "rate-limit", Action = new FaultAction { Limit = messagesPerMinute } };

    /// <summary>535 5.7.8 at AUTH for users matching <paramref name="user"/>.</summary>
    public static Fault AuthFailed(string user = "*") => new() { Preset = "auth-failed", Match = new FaultMatch { AuthUser = user } };

    /// <summary>530 5.7.0 at MAIL.</summary>
    public static Fault TlsRequired() => new() { Preset = "tls-required" };

    /// <summary>STARTTLS gets 454 4.7.0 TLS not available due to temporary reason (RFC 3207); the session stays in plain text.</summary>
    public static Fault TlsUnavailable() => new() { Preset = "tls-unavailable" };

    /// <summary>452 4.5.3 at RCPT.</summary>
    public static Fault TooManyRecipients(string recipient = "*") => ForRecipient("too-many-recipients", recipient);

    /// <summary>552 5.3.4 after the message content.</summary>
    public static Fault MessageTooBig(string recipient = "*") => ForRecipient("message-too-big", recipient);

    /// <summary>421 4.3.2 instead of the greeting, then close.</summary>
    public static Fault ServiceUnavailable() => new() { Preset = "service-unavailable" };

    /// <summary>No reply to the message content until the client gives up.</summary>
    public static Fault Timeout(string recipient = "*") => ForRecipient("timeout", recipient);

    /// <summary>The connection closes after the message content, without a reply.</summary>
    public static Fault DisconnectInData(string recipient = "*") => ForRecipient("disconnect-in-data", recipient);

    /// <summary>The final reply to a message comes after <paramref name="delay"/>.</summary>
    public static Fault Slow(TimeSpan delay, string recipient = "*") =>
        ForRecipient("slow", recipient) with { Action = new FaultAction { DelaySeconds = delay.TotalSeconds } };

    /// <summary>This rule, firing at most <paramref name="times"/> times.</summary>
    public Fault Times(int times) => this with { Count = times };

    /// <summary>This rule, firing with <paramref name="percent"/> chance; a <paramref name="seed"/> makes the sequence repeatable.</summary>
    public Fault WithProbability(double percent, int? seed = null) => this with { Probability = percent, Seed = seed };

    private static Fault ForRecipient(string preset, string recipient) =>
        new() { Preset = preset, Match = recipient == "*" ? null : new FaultMatch { Recipient = recipient } };
}
