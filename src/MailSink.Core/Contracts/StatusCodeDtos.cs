using MailSink.Diagnostics;

namespace MailSink.Contracts;

/// <summary>GET /api/v1/codes: one SMTP reply code ("550") or enhanced status code ("X.1.1") with its meaning and usual fix.</summary>
internal sealed record SmtpStatusCodeDto(string Code, string Kind, string Meaning, string Fix, string Rfc)
{
    public static SmtpStatusCodeDto From(SmtpStatusCode c) => new(c.Code, c.Kind, c.Meaning, c.Fix, c.Rfc);
}
