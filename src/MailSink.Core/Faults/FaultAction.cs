namespace MailSink.Faults;

/// <summary>A validated action. <see cref="Reply"/> is the whole reply line without CRLF, when the kind sends one.</summary>
internal sealed record FaultAction(
    FaultActionKind Kind,
    int? Code,
    string? EnhancedCode,
    string? Text,
    TimeSpan Delay,
    bool CloseAfterReply,
    string? Tag,
    TimeSpan? RetryAfter,
    int? Limit)
{
    public string? Reply => Code is { } code
        ? string.Join(' ', new[] { code.ToString(System.Globalization.CultureInfo.InvariantCulture), EnhancedCode, Text }.Where(p => !string.IsNullOrEmpty(p)))
        : null;
}
