namespace MailSink.Faults;

/// <summary>What the session knows when a rule is asked; a null field is not known yet at this stage.</summary>
internal sealed record FaultFacts(
    FaultStage Stage,
    string ClientAddress,
    string Listener,
    string? Helo,
    string? AuthUser,
    string? Sender,
    IReadOnlyList<string> Recipients);
