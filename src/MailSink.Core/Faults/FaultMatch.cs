namespace MailSink.Faults;

/// <summary>A validated <see cref="FaultMatchSpec"/>: compiled patterns, null where the rule matches anything.</summary>
internal sealed record FaultMatch(
    FaultPattern? Sender,
    FaultPattern? Recipient,
    FaultPattern? ClientAddress,
    FaultPattern? AuthUser,
    FaultPattern? Helo,
    FaultPattern? Listener)
{
    public static readonly FaultMatch Any = new(null, null, null, null, null, null);

    public bool IsMatch(FaultFacts facts) =>
        Matches(Sender, facts.Sender)
        && (Recipient is null || facts.Recipients.Any(Recipient.IsMatch))
        && Matches(ClientAddress, facts.ClientAddress)
        && Matches(AuthUser, facts.AuthUser)
        && Matches(Helo, facts.Helo)
        && Matches(Listener, facts.Listener);

    private static bool Matches(FaultPattern? pattern, string? value) => pattern is null || pattern.IsMatch(value);
}
