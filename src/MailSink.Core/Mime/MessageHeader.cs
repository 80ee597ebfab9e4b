namespace MailSink.Mime;

/// <summary>One top-level header in the order sent.</summary>
/// <param name="Name">The field name as sent (case kept).</param>
/// <param name="Value">Unfolded and decoded for display (RFC 2047 encoded-words resolved).</param>
/// <param name="RawValue">The value as sent, folding kept, without the trailing line break.</param>
internal sealed record MessageHeader(string Name, string Value, string RawValue);
