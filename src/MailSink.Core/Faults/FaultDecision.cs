namespace MailSink.Faults;

/// <summary>
/// What the connection must do to the next reply because a rule fired: send <see cref="Reply"/> instead of the
/// server's (null keeps the server's), after <see cref="Delay"/>; or send nothing (<see cref="Silent"/>), holding
/// the connection until the client leaves first when <see cref="HoldUntilClientLeaves"/>; and close afterwards.
/// </summary>
internal sealed record FaultDecision(
    string RuleId,
    string RuleName,
    FaultActionKind Kind,
    string? Reply,
    TimeSpan Delay,
    bool Silent,
    bool HoldUntilClientLeaves,
    bool Close,
    string? Tag)
{
    /// <summary>The rule's effect as the transcript says it.</summary>
    public string Describe() => Kind switch
    {
        FaultActionKind.Delay => $"reply delayed by {Delay.TotalSeconds:0.###} s",
        FaultActionKind.Close => "connection closed without a reply",
        FaultActionKind.Timeout => "no reply until the client gives up",
        FaultActionKind.Drop => "message accepted and dropped (not stored)",
        FaultActionKind.Tag => $"message tagged '{Tag}'",
        _ => $"replied {Reply}{(Delay > TimeSpan.Zero ? $" after {Delay.TotalSeconds:0.###} s" : "")}{(Close ? ", then closed the connection" : "")}",
    };
}
