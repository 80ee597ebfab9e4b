namespace MailSink.Faults;

/// <summary>Mailpit's Chaos configuration (<c>/api/v1/chaos</c>); a trigger left out of a PUT is reset to its default code at 0%.</summary>
internal sealed class ChaosTriggers
{
    public ChaosTrigger? Sender { get; set; }

    public ChaosTrigger? Recipient { get; set; }

    public ChaosTrigger? Authentication { get; set; }
}
