namespace MailSink.Tests.TestHost;

/// <summary>One SMTP reply: the code and every line's text (without "250-" / "250 ").</summary>
public sealed record SmtpReply(int Code, IReadOnlyList<string> Lines)
{
    public string Text => string.Join("\n", Lines);

    public override string ToString() => string.Join("\n", Lines.Select(l => $"{Code} {l}"));
}
