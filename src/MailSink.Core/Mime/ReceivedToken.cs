namespace MailSink.Mime;

/// <summary>A word (atom, domain, [literal], &lt;path&gt;, "quoted") or a comment (text inside the outer parentheses).</summary>
internal readonly record struct ReceivedToken(string Text, bool IsComment);
