namespace MailSink.Diagnostics.Spf;

/// <summary>One term of an SPF record: a directive (qualifier + mechanism) or, when <see cref="Modifier"/> is set, a modifier.</summary>
internal sealed record SpfTerm(string Text, char Qualifier, string Mechanism, string? Argument, int? Prefix4, int? Prefix6, string? Modifier);
