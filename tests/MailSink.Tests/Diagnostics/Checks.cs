using System.Net;
using MailSink.Diagnostics;
using MailSink.Diagnostics.Dns;
using MailSink.Domain;
using MailSink.Mime;
using MimeKit;

namespace MailSink.Tests.Diagnostics;

/// <summary>Runs the ingest checks on bytes, as the SMTP store does after projecting them.</summary>
internal static class Checks
{
    public static Envelope Envelope(string mailFrom = "app@example.test", string helo = "client.example.test", string client = "192.0.2.10", params string[] rcpt) => new()
    {
        MailFrom = mailFrom,
        Helo = helo,
        ClientAddress = client,
        RcptTo = rcpt.Length == 0 ? ["rcpt@example.test"] : [.. rcpt],
    };

    public static Task<MessageChecks> RunAsync(byte[] raw, IDnsResolver? resolver = null, Envelope? envelope = null, IPAddress? senderIp = null, TimeProvider? time = null)
    {
        var summary = MessageProjector.Project(raw, envelope ?? Envelope(), out var parsed);
        var checker = new MessageChecker(resolver ?? new DiagnosticsResolver(null, null), senderIp, "sink.test", time ?? TimeProvider.System);
        return checker.CheckAsync(raw, parsed, summary, CancellationToken.None);
    }

    public static Task<MessageChecks> RunAsync(MimeMessage message, IDnsResolver? resolver = null, Envelope? envelope = null) =>
        RunAsync(DkimKeys.Bytes(message), resolver, envelope);

    public static MimeMessage NewMessage(string from = "app@example.test", string subject = "Your order", string body = "Thank you for your order.\r\n")
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse("rcpt@example.test"));
        message.Subject = subject;
        message.Date = DateTimeOffset.UtcNow;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("example.test");
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }
}
