namespace MailSink.Client;

/// <summary>
/// What a fault rule matches; a pattern left null matches anything. Globs (<c>*@bounce.example</c>) or regular
/// expressions between slashes (<c>/^a.+@x\.test$/</c>), case-insensitive.
/// </summary>
public sealed record FaultMatch
{
    /// <summary>MAIL FROM address.</summary>
    public string? Sender { get; init; }

    /// <summary>RCPT TO address.</summary>
    public string? Recipient { get; init; }

    /// <summary>The client's IP address as text.</summary>
    public string? ClientAddress { get; init; }

    /// <summary>The user name given in AUTH.</summary>
    public string? AuthUser { get; init; }

    /// <summary>The name given in EHLO or HELO.</summary>
    public string? Helo { get; init; }

    /// <summary>Listener name: smtp, submission or smtps.</summary>
    public string? Listener { get; init; }
}
