namespace MailSink.Faults;

/// <summary>A rule template: the stage a failure usually happens at and what the server does there.</summary>
internal sealed record FaultPreset(string Name, FaultStage Stage, FaultActionKind Kind, int? Code = null, string? EnhancedCode = null, string? Text = null, double DelaySeconds = 0, bool CloseAfterReply = false, int? Limit = null)
{
    public string Describe() => Kind switch
    {
        FaultActionKind.Reply => $"{Code} {EnhancedCode} {Text}{(CloseAfterReply ? ", then close" : "")}",
        FaultActionKind.Greylist => $"{Code} {EnhancedCode} {Text} on the first attempt, accepted on a retry after the delay",
        FaultActionKind.RateLimit => $"{Code} {EnhancedCode} {Text} once a client starts more than {Limit} messages a minute",
        FaultActionKind.Delay => $"the reply after {DelaySeconds} s",
        FaultActionKind.Close => "the connection closes without a reply",
        FaultActionKind.Timeout => "no reply until the client gives up",
        _ => Kind.Name(),
    };
}
