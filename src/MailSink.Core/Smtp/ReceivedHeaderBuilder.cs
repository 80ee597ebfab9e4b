using System.Text;
using MailSink.Domain;
using MimeKit.Utils;

namespace MailSink.Smtp;

/// <summary>
/// The trace header a real MTA prepends (RFC 5321 section 4.4), laid out as Postfix does so the
/// parsers people already use read it: from (HELO, address), TLS comment, by, with (RFC 3848
/// protocol), id, for (one recipient only, as RFC 5321 advises for privacy), date.
/// </summary>
internal static class ReceivedHeaderBuilder
{
    public static byte[] Build(Envelope envelope, string messageId, string hostname, bool esmtp, DateTimeOffset now) =>
        Build(envelope, messageId, hostname, SmtpProtocol(envelope, esmtp), now);

    /// <summary>With a protocol named by the caller: "HTTP" for messages submitted through the send API.</summary>
    public static byte[] Build(Envelope envelope, string messageId, string hostname, string protocol, DateTimeOffset now)
    {

        var helo = string.IsNullOrWhiteSpace(envelope.Helo) ? "unknown" : Sanitize(envelope.Helo);
        var sb = new StringBuilder();
        sb.Append("Received: from ").Append(helo)
          .Append(" (").Append(IsLoopback(envelope.ClientAddress) ? "localhost" : "unknown")
          .Append(" [").Append(envelope.ClientAddress).Append("])\r\n");
        if (envelope.Tls is { } tls)
        {
            sb.Append("\t(using ").Append(tls.Protocol).Append(" with cipher ").Append(tls.CipherSuite).Append(")\r\n");
        }

        sb.Append("\tby ").Append(hostname).Append(" (MailSink) with ").Append(protocol).Append(" id ").Append(messageId);
        if (envelope.RcptTo.Count == 1)
        {
            sb.Append("\r\n\tfor <").Append(Sanitize(envelope.RcptTo[0])).Append('>');
        }

        sb.Append("; ").Append(DateUtils.FormatDate(now)).Append("\r\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static string SmtpProtocol(Envelope envelope, bool esmtp)
    {
        var protocol = (esmtp ? "ESMTP" : "SMTP") + (envelope.Tls is null ? "" : "S") + (envelope.AuthUser is null ? "" : "A");

        // RFC 3848 defines the S and A suffixes for ESMTP only.
        return protocol is "SMTPS" or "SMTPA" or "SMTPSA" ? "E" + protocol : protocol;
    }

    private static bool IsLoopback(string address) =>
        System.Net.IPAddress.TryParse(address, out var ip) && System.Net.IPAddress.IsLoopback(ip);

    /// <summary>Client-chosen text must not break the header: no CR, LF or other controls.</summary>
    private static string Sanitize(string value) =>
        new(value.Where(c => !char.IsControl(c)).Take(255).ToArray());
}
