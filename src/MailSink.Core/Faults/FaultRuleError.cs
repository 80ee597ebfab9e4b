namespace MailSink.Faults;

/// <summary>Why a rule was refused: the field, as written in the request (<c>Match.Recipient</c>), and what to change.</summary>
internal sealed record FaultRuleError(string Field, string Detail);
