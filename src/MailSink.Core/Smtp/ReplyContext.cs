namespace MailSink.Smtp;

/// <summary>Whether the greeting went out, and the verbs awaiting replies (<see cref="TranscriptMarkers.DataEnd"/> for content).</summary>
internal sealed record ReplyContext(bool Greeted, IReadOnlyList<string> Verbs, IReadOnlyList<string?>? Replacements = null);
